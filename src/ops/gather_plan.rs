//! The walk shared by gather and index_select: each result element's source offset,
//! worked out from the result's coordinates, the index element they pick and the
//! source's strides (no table of positions, no contiguous copy of the input).

use crate::tensor::Element;

/// Where each element of a result comes from: the result's row-major coordinate `c`
/// reads the index value `v` at `index_offset + c·index_strides`, and the element at
/// `source_offset + c·source_strides + v·stride_along` (`source_strides` is 0 along
/// the picked dim).
pub(crate) struct Plan {
    pub shape: Vec<usize>,
    pub index_strides: Vec<isize>,
    pub index_offset: usize,
    pub source_strides: Vec<isize>,
    pub source_offset: usize,
    pub stride_along: isize,
    pub size_along: i64,
}

impl Plan {
    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }

    /// Calls `f` with the source offset of each result element, row-major; stops at
    /// the first index value outside `0..size_along` and returns it.
    pub fn visit<I: Element>(&self, index: &[I], mut f: impl FnMut(usize)) -> Result<(), i64> {
        if self.shape.contains(&0) {
            return Ok(());
        }
        let size = self.size_along;
        let along = self.stride_along;
        let mut pick = |io: isize, so: isize| -> Result<(), i64> {
            let v = index[io as usize].to_i64();
            if v < 0 || v >= size {
                return Err(v);
            }
            f((so + v as isize * along) as usize);
            Ok(())
        };
        let Some(last) = self.shape.len().checked_sub(1) else {
            return pick(self.index_offset as isize, self.source_offset as isize);
        };
        let (len, inner_i, inner_s) = (
            self.shape[last],
            self.index_strides[last],
            self.source_strides[last],
        );
        let mut coord = vec![0usize; last];
        let (mut row_i, mut row_s) = (self.index_offset as isize, self.source_offset as isize);
        loop {
            let (mut io, mut so) = (row_i, row_s);
            for _ in 0..len {
                pick(io, so)?;
                io += inner_i;
                so += inner_s;
            }
            // the next row: an odometer over the outer dims
            let mut k = last;
            loop {
                if k == 0 {
                    return Ok(());
                }
                k -= 1;
                coord[k] += 1;
                row_i += self.index_strides[k];
                row_s += self.source_strides[k];
                if coord[k] < self.shape[k] {
                    break;
                }
                let n = self.shape[k] as isize;
                row_i -= self.index_strides[k] * n;
                row_s -= self.source_strides[k] * n;
                coord[k] = 0;
            }
        }
    }
}

/// The values of a 0-d or 1-d index, in order.
pub(crate) fn index_values<I: Element>(
    index: &[I],
    offset: usize,
    stride: isize,
    n: usize,
) -> Vec<i64> {
    (0..n)
        .map(|k| index[(offset as isize + k as isize * stride) as usize].to_i64())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_rows_and_reports_the_first_bad_value() {
        // a 2x2 result over a 2x3 row-major source, picking along dim 1
        let plan = Plan {
            shape: vec![2, 2],
            index_strides: vec![2, 1],
            index_offset: 0,
            source_strides: vec![3, 0],
            source_offset: 0,
            stride_along: 1,
            size_along: 3,
        };
        let mut seen = Vec::new();
        plan.visit(&[2i64, 0, 1, 1], |o| seen.push(o)).unwrap();
        assert_eq!(seen, vec![2, 0, 4, 4]);
        assert_eq!(plan.visit(&[0i64, 5, -1, 0], |_| {}), Err(5));
    }
}
