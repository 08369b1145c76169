"""Float reductions that round as PyTorch's: sums, products and traces.

PyTorch sums float32 in float32 through its cascade kernel, whose order depends on the
layout: columns in whole groups of 32 (contiguous) or 4 (strided) are each one cascade
down the rows, the other columns four interleaved ones; the thread split decides the
groups. Products multiply in the dtype itself (a 16-bit float rounds at every step) in
vector groups; a trace adds its diagonal in order in float64. The inputs below make
these orders give other results than a float64 reduction rounded once.
"""

import pytest
from backend import fg

BIG = 1e8


def lost_ones(columns):
    """Five rows per column: 1e8, 1, 1, 1, -1e8 (1e8 + 1 rounds back to 1e8)."""
    col = fg.tensor([BIG, 1.0, 1.0, 1.0, -BIG])
    return col.unsqueeze(1).repeat(1, columns)


def ramp(rows, cols):
    i = fg.arange(rows * cols, dtype=fg.float32)
    return ((i * 7919).remainder(1013) * 0.013 - 3.1).reshape(rows, cols)


@pytest.fixture
def threads():
    before = fg.get_num_threads()
    yield fg.set_num_threads
    fg.set_num_threads(before)


def test_contiguous_column_groups_of_32_sum_in_one_cascade():
    # one cascade per column loses the ones; the 8 columns past the last whole group
    # are summed as four interleaved partials, (1e8 - 1e8) + 1 + 1 + 1
    assert lost_ones(40).sum(0).tolist() == [0.0] * 32 + [3.0] * 8


def test_strided_columns_group_by_four():
    x = lost_ones(12)[:, ::2]
    assert x.sum(0).tolist() == [0.0] * 4 + [3.0] * 2


def test_middle_dim_and_keepdim_and_mean():
    x = lost_ones(40).unsqueeze(0).repeat(2, 1, 1)
    want = [0.0] * 32 + [3.0] * 8
    assert x.sum(1).tolist() == [want, want]
    assert x.sum(1, keepdim=True).shape == (2, 1, 40)
    # 3 / 5 rounded to float32
    assert x.mean(1)[0].tolist() == [0.0] * 32 + [0.6000000238418579] * 8


def test_views_are_summed_in_memory_order():
    # a transposed view is walked as the memory it reads: the same groups as sum(0)
    assert lost_ones(40).t().sum(1).tolist() == [0.0] * 32 + [3.0] * 8
    # a contiguous (40, 5) tensor sums each row as a short inner run
    assert lost_ones(40).t().contiguous().sum(1).tolist() == [3.0] * 40


def test_ramp_column_sums_match_pytorch_bits():
    x = ramp(3000, 70)
    got = [v.hex() for v in x.sum(0)[[0, 31, 32, 69]].tolist()]
    # PyTorch 2.13; the float64 sums rounded once differ at 31, 32 and 69
    assert got == [
        "0x1.44045e0000000p+13",
        "0x1.43f63a0000000p+13",
        "0x1.48ffd40000000p+13",
        "0x1.457b7c0000000p+13",
    ]
    assert x.mean(0)[[0, 33]].tolist() == [3.4561820030212402, 3.496243476867676]


def test_thread_split_picks_the_column_groups(threads):
    # 14 strided columns x 5000 rows: two threads take 7 columns each, so column 4 is
    # no longer in a whole group of 4
    x = ramp(5000, 40)[:, ::3]
    threads(1)
    assert x.sum(0)[4].item() == 17424.048828125
    threads(2)
    assert x.sum(0)[4].item() == 17424.046875
    assert x.sum(0)[3].item() == 17400.7890625


def ramp1(n, scale):
    i = fg.arange(n, dtype=fg.float32)
    return 1 + ((i * 7919).remainder(1013) - 506) * scale


def test_float32_products_round_in_float32(threads):
    threads(1)
    # PyTorch 2.13; a float64 product rounded once gives 0x1.d17de6p-4 and 0x1.267bc2p-66
    assert ramp1(70, 1e-3).prod().item().hex() == "0x1.d17ddc0000000p-4"
    assert ramp1(1000, 1e-3).prod().item().hex() == "0x1.267bb40000000p-66"
    columns = ramp1(300 * 40, 1e-3).reshape(300, 40).prod(0)
    assert [v.hex() for v in columns[[0, 1, 33, 34]].tolist()] == [
        "0x1.9d9e080000000p-22",
        "0x1.1fee860000000p-19",
        "0x1.9e76e20000000p-20",
        "0x1.589e440000000p-19",
    ]


def test_half_products_round_at_every_step():
    # 1.001 is 1.0009765625 in float16; rounded once, 40 of them make 1.0400390625
    assert fg.full((40,), 1.001, dtype=fg.float16).prod().item() == 1.0390625
    assert fg.full((40,), 1.01, dtype=fg.bfloat16).prod().item() == 1.3125
    # strided: every other element of 80
    assert fg.full((80,), 1.001, dtype=fg.float16)[::2].prod().item() == 1.0390625


def test_trace_adds_the_diagonal_in_float64():
    # float32 additions in any order lose the 1
    assert fg.diag(fg.tensor([BIG, 1.0, -BIG])).trace().item() == 1.0
    half = fg.diag(fg.tensor([1e4, 1.0, -1e4], dtype=fg.float16))
    assert half.trace().item() == 1.0
