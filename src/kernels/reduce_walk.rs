//! The order in which PyTorch's CPU TensorIterator walks a reduction, so that a kernel
//! that sums in float32 can add in the same order and round as PyTorch does: the dims
//! sorted with the reduced ones innermost (then by stride), neighbours that are one run
//! in both tensors merged, then 2-D blocks handed to the kernel (`loop2d`), and the work
//! split across the intra-op threads from `GRAIN` elements, either by output columns
//! (`parallel_dim_reduction`) or, for one output, in two passes (`two_pass_reduction`).

/// Below this many elements a reduction stays on one thread (`at::internal::GRAIN_SIZE`).
pub const GRAIN: usize = 32768;

/// One dim of the walk: its size and the strides (in elements) of the input and of the
/// output, which is 0 for a reduced dim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalkDim {
    pub size: usize,
    pub input: isize,
    pub output: isize,
}

/// What the kernel gets per call: the offsets of the first input and output elements and
/// two dims, the first the inner one (`size0`, `size1` and their strides).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub input: isize,
    pub output: isize,
    pub sizes: [usize; 2],
    pub input_strides: [isize; 2],
    pub output_strides: [isize; 2],
}

/// A reduction's input: a storage slice and the offset of the tensor's first element.
pub struct Strided<'a, T> {
    pub data: &'a [T],
    pub offset: isize,
}

impl<T: Copy> Strided<'_, T> {
    pub fn at(&self, i: isize) -> T {
        self.data[(self.offset + i) as usize]
    }

    /// `len` elements from element `i` on.
    pub fn run(&self, i: isize, len: usize) -> &[T] {
        let start = (self.offset + i) as usize;
        &self.data[start..start + len]
    }
}

/// The kernel of a reduction: one block of the walk, `out[...] = op(out[...], ...)`.
pub type Kernel<'k, T> = &'k (dyn Fn(&Strided<T>, &Block, &mut [T]) + Sync);

/// `x` (of `shape` and `strides` in elements) reduced over the dims marked in `reduced`
/// into a contiguous output of the kept dims that starts as `identity`: the blocks of
/// the walk handed to `kernel` as PyTorch's `parallel_reduce` hands them out with
/// `threads` threads. Each column range fills a buffer of its own on a thread of the
/// pool, copied into place afterwards.
pub fn reduce<T: Copy + Send + Sync>(
    x: &Strided<T>,
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    threads: usize,
    identity: T,
    kernel: Kernel<T>,
) -> Vec<T> {
    let outputs: usize = shape
        .iter()
        .zip(reduced)
        .filter(|(_, &r)| !r)
        .map(|(&s, _)| s)
        .product();
    let mut out = vec![identity; outputs];
    let numel: usize = shape.iter().product();
    if numel == 0 {
        return out;
    }
    let dims = walk_dims(shape, strides, reduced);
    let walk = |x: &Strided<T>, dims: &[WalkDim], range, base, out: &mut [T]| {
        for_each_block(dims, range, base, &mut |b| kernel(x, &b, out));
    };
    match split(&dims, outputs, threads, std::mem::size_of::<T>()) {
        Split::Serial => walk(x, &dims, (0, numel), (0, 0), &mut out),
        Split::Columns { dim, ranges } => {
            let parts = crate::parallel::map_tasks(ranges.len(), |t| {
                let (sub, input, _) = narrow(&dims, dim, ranges[t]);
                let compact = compact_outputs(&sub);
                let n = sub.iter().map(|d| d.size).product();
                let kept = compact
                    .iter()
                    .filter(|d| d.output != 0)
                    .map(|d| d.size)
                    .product();
                let mut part = vec![identity; kept];
                walk(x, &compact, (0, n), (input, 0), &mut part);
                part
            });
            for (range, part) in ranges.iter().zip(parts) {
                let (sub, _, output) = narrow(&dims, dim, *range);
                scatter_outputs(&sub, output, &part, &mut out);
            }
        }
        Split::TwoPass { ranges, slots } => {
            let partials = crate::parallel::map_tasks(ranges.len(), |t| {
                let mut slot = [identity];
                for_each_block(&dims, ranges[t], (0, 0), &mut |b| kernel(x, &b, &mut slot));
                slot[0]
            });
            let mut buffer = vec![identity; slots];
            buffer[..partials.len()].copy_from_slice(&partials);
            let slot_dims = walk_dims(&[slots], &[1], &[true]);
            let buffer = Strided {
                data: &buffer,
                offset: 0,
            };
            walk(&buffer, &slot_dims, (0, slots), (0, 0), &mut out);
        }
    }
    out
}

/// How the walk is shared out across threads.
#[derive(Debug, PartialEq, Eq)]
pub enum Split {
    /// One pass over everything.
    Serial,
    /// One output: these ranges of the flat walk each sum into a slot of their own,
    /// `slots` of them, then the slots are summed (in a walk of their own).
    TwoPass {
        ranges: Vec<(usize, usize)>,
        slots: usize,
    },
    /// These ranges of walk dim `dim`, each a walk of its own.
    Columns {
        dim: usize,
        ranges: Vec<(usize, usize)>,
    },
}

/// The walk's dims, innermost first, for an input of `shape` and `strides` reduced over
/// the dims marked in `reduced` into a contiguous output of the kept dims.
pub fn walk_dims(shape: &[usize], strides: &[isize], reduced: &[bool]) -> Vec<WalkDim> {
    let nd = shape.len();
    let mut out_strides = vec![0isize; nd];
    let mut run = 1isize;
    for d in (0..nd).rev() {
        if !reduced[d] {
            out_strides[d] = run;
            run *= shape[d] as isize;
        }
    }
    let dims: Vec<WalkDim> = (0..nd)
        .map(|d| WalkDim {
            size: shape[d],
            input: strides[d],
            output: out_strides[d],
        })
        .collect();
    coalesce(sorted(&dims))
}

/// TensorIterator's `reorder_dimensions`: starting from the last dim innermost, an
/// insertion sort whose comparison may be undecided (then the scan goes on).
fn sorted(dims: &[WalkDim]) -> Vec<WalkDim> {
    let mut perm: Vec<usize> = (0..dims.len()).rev().collect();
    for i in 1..perm.len() {
        let mut moving = i;
        for before in (0..i).rev() {
            match should_swap(&dims[perm[before]], &dims[perm[moving]]) {
                Some(true) => {
                    perm.swap(before, moving);
                    moving = before;
                }
                Some(false) => break,
                None => {}
            }
        }
    }
    perm.into_iter().map(|d| dims[d]).collect()
}

/// Whether `b` belongs inside `a` (`Some(true)`), outside it, or undecided: reduced dims
/// first, then the output's strides, then the input's, the smaller size first on a tie.
fn should_swap(a: &WalkDim, b: &WalkDim) -> Option<bool> {
    if (a.output == 0) != (b.output == 0) {
        return Some(b.output == 0);
    }
    for (s0, s1) in [(a.output, b.output), (a.input, b.input)] {
        if s0 == 0 || s1 == 0 {
            continue;
        }
        if s0 != s1 {
            return Some(s0 > s1);
        }
        if a.size > b.size {
            return Some(true);
        }
    }
    None
}

/// TensorIterator's `coalesce_dimensions`: a dim merges into the one inside it when
/// either has size 1 or both tensors step over the inner one exactly into the outer.
fn coalesce(dims: Vec<WalkDim>) -> Vec<WalkDim> {
    let mut out: Vec<WalkDim> = Vec::with_capacity(dims.len());
    for d in dims {
        let Some(last) = out.last_mut() else {
            out.push(d);
            continue;
        };
        let joins = last.size == 1
            || d.size == 1
            || (last.input * last.size as isize == d.input
                && last.output * last.size as isize == d.output);
        if !joins {
            out.push(d);
            continue;
        }
        if last.size == 1 {
            last.input = d.input;
            last.output = d.output;
        }
        last.size *= d.size;
    }
    out
}

/// `parallel_reduce`'s choice for a walk into `outputs` outputs, over input elements of
/// `element_bytes` each.
pub fn split(dims: &[WalkDim], outputs: usize, threads: usize, element_bytes: usize) -> Split {
    let numel: usize = dims.iter().map(|d| d.size).product();
    if numel < GRAIN || threads <= 1 {
        return Split::Serial;
    }
    if outputs == 1 {
        let tasks = threads.min(numel.div_ceil(GRAIN));
        return Split::TwoPass {
            ranges: chunks(0, numel, tasks),
            slots: threads,
        };
    }
    let dim = split_dim(dims, threads);
    let cols = dims[dim].size;
    let mut ranges = chunks(0, cols, threads.min(cols));
    if dims[dim].input == 1 {
        // whole 128-byte lines per thread (the last range keeps its end)
        let line = 128 / element_bytes;
        for r in &mut ranges {
            r.0 -= r.0 % line;
            if r.1 != cols {
                r.1 -= r.1 % line;
            }
        }
    }
    ranges.retain(|r| r.0 != r.1);
    Split::Columns { dim, ranges }
}

/// `at::parallel_for`'s ranges: `tasks` chunks of equal length, the last shorter.
fn chunks(begin: usize, end: usize, tasks: usize) -> Vec<(usize, usize)> {
    let chunk = (end - begin).div_ceil(tasks.max(1));
    (0..tasks)
        .map(|t| begin + t * chunk)
        .filter(|&b| b < end)
        .map(|b| (b, (b + chunk).min(end)))
        .collect()
}

/// `find_split_dim`: the outermost kept dim with at least `threads` elements, else the
/// largest of the kept dims outside the reduced ones.
fn split_dim(dims: &[WalkDim], threads: usize) -> usize {
    let mut best = dims.len() - 1;
    for d in (0..dims.len()).rev() {
        if is_reduced(&dims[d]) {
            break;
        }
        if dims[d].size >= threads {
            return d;
        }
        if dims[d].size > dims[best].size {
            best = d;
        }
    }
    best
}

fn is_reduced(d: &WalkDim) -> bool {
    d.output == 0 && d.size > 1
}

/// The walk narrowed to `range` of dim `dim`, with the offsets of its first elements.
pub fn narrow(dims: &[WalkDim], dim: usize, range: (usize, usize)) -> (Vec<WalkDim>, isize, isize) {
    let mut narrowed = dims.to_vec();
    narrowed[dim].size = range.1 - range.0;
    let start = range.0 as isize;
    (narrowed, start * dims[dim].input, start * dims[dim].output)
}

/// The walk with its output strides renumbered for a contiguous output of its own kept
/// dims (in the order of their strides), so that a part of the walk fills a buffer of
/// its own.
fn compact_outputs(dims: &[WalkDim]) -> Vec<WalkDim> {
    let mut kept: Vec<usize> = (0..dims.len()).filter(|&d| dims[d].output != 0).collect();
    kept.sort_by_key(|&d| dims[d].output);
    let mut compact = dims.to_vec();
    let mut run = 1isize;
    for d in kept {
        compact[d].output = run;
        run *= dims[d].size as isize;
    }
    compact
}

/// Copies `part` (the outputs of `dims` laid out by `compact_outputs`) to their places in
/// `out`, the first at `output`.
fn scatter_outputs<T: Copy>(dims: &[WalkDim], output: isize, part: &[T], out: &mut [T]) {
    let mut kept: Vec<&WalkDim> = dims.iter().filter(|d| d.output != 0).collect();
    kept.sort_by_key(|d| d.output);
    let mut index = vec![0usize; kept.len()];
    let mut at = output;
    for &v in part {
        out[at as usize] = v;
        for (k, d) in kept.iter().enumerate() {
            index[k] += 1;
            at += d.output;
            if index[k] < d.size {
                break;
            }
            at -= d.output * d.size as isize;
            index[k] = 0;
        }
    }
}

/// `serial_for_each` over the flat range `begin..end` of the walk: the blocks its
/// `DimCounter` hands out (a partial first row, whole 2-D planes, a partial last row).
pub fn for_each_block(
    dims: &[WalkDim],
    (begin, end): (usize, usize),
    (input, output): (isize, isize),
    f: &mut impl FnMut(Block),
) {
    let dim = |k: usize| {
        dims.get(k).copied().unwrap_or(WalkDim {
            size: 1,
            input: 0,
            output: 0,
        })
    };
    if dims.len() <= 1 {
        let d = dim(0);
        let first = begin as isize;
        return f(Block {
            input: input + first * d.input,
            output: output + first * d.output,
            sizes: [end - begin, 1],
            input_strides: [d.input, 0],
            output_strides: [d.output, 0],
        });
    }
    let shape: Vec<usize> = dims.iter().map(|d| d.size).collect();
    let mut values = unravel(&shape, begin);
    let mut offset = begin;
    while offset < end {
        let step0 = (shape[0] - values[0]).min(end - offset);
        let step1 = if step0 == shape[0] {
            (shape[1] - values[1]).min((end - offset) / shape[0])
        } else {
            1
        };
        let (mut i, mut o) = (input, output);
        for (v, d) in values.iter().zip(dims) {
            i += *v as isize * d.input;
            o += *v as isize * d.output;
        }
        f(Block {
            input: i,
            output: o,
            sizes: [step0, step1],
            input_strides: [dims[0].input, dims[1].input],
            output_strides: [dims[0].output, dims[1].output],
        });
        offset += step0 * step1;
        advance(&shape, &mut values, [step0, step1]);
    }
}

fn unravel(shape: &[usize], mut flat: usize) -> Vec<usize> {
    shape
        .iter()
        .map(|&s| {
            let v = flat % s.max(1);
            flat /= s.max(1);
            v
        })
        .collect()
}

/// `DimCounter::increment`: a step of whole planes carries from dim 1, else from dim 0.
fn advance(shape: &[usize], values: &mut [usize], step: [usize; 2]) {
    let (mut dim, mut carry) = if step[1] != 1 {
        (1, step[1])
    } else {
        (0, step[0])
    };
    while dim < shape.len() && carry > 0 {
        let v = values[dim] + carry;
        if v >= shape[dim] {
            values[dim] = v - shape[dim];
            carry = 1;
        } else {
            values[dim] = v;
            carry = 0;
        }
        dim += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(size: usize, input: isize, output: isize) -> WalkDim {
        WalkDim {
            size,
            input,
            output,
        }
    }

    #[test]
    fn leading_dim_sum_walks_rows_over_merged_columns() {
        // (4, 5, 6) contiguous summed over dim 0: the kept dims merge into 30 columns
        let dims = walk_dims(&[4, 5, 6], &[30, 6, 1], &[true, false, false]);
        assert_eq!(dims, vec![dim(4, 30, 0), dim(30, 1, 1)]);
    }

    #[test]
    fn reduced_dims_go_inside_the_kept_ones() {
        let dims = walk_dims(&[4, 5, 6], &[30, 6, 1], &[true, false, true]);
        assert_eq!(dims, vec![dim(6, 1, 0), dim(4, 30, 0), dim(5, 6, 1)]);
        let dims = walk_dims(&[4, 5, 6], &[30, 6, 1], &[true, true, false]);
        assert_eq!(dims, vec![dim(20, 6, 0), dim(6, 1, 1)]);
        // a transposed input is walked in its memory order
        let dims = walk_dims(&[6, 4], &[1, 6], &[false, true]);
        assert_eq!(dims, vec![dim(4, 6, 0), dim(6, 1, 1)]);
    }

    #[test]
    fn blocks_of_a_partial_range_follow_the_dim_counter() {
        let dims = [dim(4, 1, 0), dim(3, 4, 0), dim(2, 12, 0)];
        let mut seen = vec![];
        for_each_block(&dims, (2, 21), (0, 0), &mut |b| {
            seen.push((b.input, b.sizes))
        });
        // the rest of a row, the rest of a plane, a plane, one last partial row
        assert_eq!(
            seen,
            vec![(2, [2, 1]), (4, [4, 2]), (12, [4, 2]), (20, [1, 1])]
        );
    }

    #[test]
    fn column_ranges_land_in_their_outputs() {
        let shape = [50, 40, 30];
        let data: Vec<f64> = (0..50 * 40 * 30).map(|i| (i % 977) as f64).collect();
        let x = Strided {
            data: &data,
            offset: 0,
        };
        let add = |x: &Strided<f64>, b: &Block, out: &mut [f64]| {
            for j in 0..b.sizes[1] as isize {
                for i in 0..b.sizes[0] as isize {
                    let o = b.output + j * b.output_strides[1] + i * b.output_strides[0];
                    out[o as usize] +=
                        x.at(b.input + j * b.input_strides[1] + i * b.input_strides[0]);
                }
            }
        };
        for reduced in [
            [false, true, false],
            [true, false, false],
            [false, false, true],
        ] {
            let want: Vec<f64> = {
                let mut out = vec![0.0; 0];
                let kept: Vec<usize> = (0..3).filter(|&d| !reduced[d]).collect();
                let (a, b) = (shape[kept[0]], shape[kept[1]]);
                out.resize(a * b, 0.0);
                for (i, &v) in data.iter().enumerate() {
                    let idx = [i / 1200, i / 30 % 40, i % 30];
                    out[idx[kept[0]] * b + idx[kept[1]]] += v;
                }
                out
            };
            let got = reduce(&x, &shape, &[1200, 30, 1], &reduced, 2, 0.0, &add);
            assert_eq!(got, want, "{reduced:?}");
        }
    }

    #[test]
    fn columns_split_in_whole_lines() {
        let dims = [dim(2048, 100, 0), dim(100, 1, 1)];
        let s = split(&dims, 100, 2, 4);
        assert_eq!(
            s,
            Split::Columns {
                dim: 1,
                ranges: vec![(0, 32), (32, 100)]
            }
        );
        assert_eq!(split(&dims[..1], 1, 2, 4), Split::Serial);
        assert_eq!(split(&dims, 100, 1, 4), Split::Serial);
    }
}
