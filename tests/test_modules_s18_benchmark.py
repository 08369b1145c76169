"""`utils.benchmark`: Timer (timeit, blocked_autorange, adaptive_autorange, PyTorch's
refusals), Measurement's statistics and printed text, Compare's tables, from PyTorch
2.13's output for the same times (the file also runs with FG_TEST_BACKEND=torch). No
assertion depends on how long anything took."""

import importlib

import pytest
from backend import MOD, fg

B = importlib.import_module(f"{MOD}.utils.benchmark")


def measurement(times, number=10, stmt="x + y", setup="pass", **spec):
    return B.Measurement(number_per_run=number, raw_times=times, task_spec=B.TaskSpec(stmt=stmt, setup=setup, **spec))


def body(m):
    """The printed text without its first line (the object's address)."""
    first, _, rest = repr(m).partition("\n")
    assert first.startswith(f"<{MOD}.utils.benchmark.utils.common.Measurement object at 0x")
    return rest


# --- Measurement --------------------------------------------------------------------------

def test_measurement_statistics_are_per_run():
    m = measurement([1.2e-5, 1.25e-5, 1.3e-5, 1.21e-5, 1.22e-5])
    assert m.times == pytest.approx([1.2e-6, 1.25e-6, 1.3e-6, 1.21e-6, 1.22e-6], rel=1e-12)
    assert m.median == pytest.approx(1.22e-6, rel=1e-12) and m.mean == pytest.approx(1.236e-6, rel=1e-12)
    assert m.iqr == pytest.approx(4e-8, rel=1e-9)
    assert (m.significant_figures, m.has_warnings, m.meets_confidence(0.05)) == (1, False, True)
    assert (m.title, m.env, m.as_row_name, m.stmt, m.num_threads) == ("x + y", None, "x + y", "x + y", 1)


def test_measurement_text():
    assert body(measurement([1.2e-5, 1.25e-5, 1.3e-5, 1.21e-5, 1.22e-5])) == (
        "x + y\n  Median: 1.22 us\n  IQR:    0.04 us (1.21 to 1.25)\n"
        "  5 measurements, 10 runs per measurement, 1 thread")
    single = measurement([3.5e-3], number=1000, label="add", sub_label="small", description="float32",
                         num_threads=4)
    assert body(single) == "add: small\nfloat32\n  3.50 us\n  1 measurement, 1000 runs , 4 threads"
    assert single.significant_figures == 2 and single.as_row_name == "small"
    two = measurement([0.5, 0.5001], number=1, env="envA")  # fewer than 4: no IQR line
    assert body(two) == "x + y\n  Median: 500.05 ms\n  2 measurements, 1 runs per measurement, 1 thread"
    assert two.significant_figures == 3 and two.env == "envA"
    tiny = measurement([5e-8, 5.1e-8, 5e-8, 5.2e-8], number=1, setup="x = 1", description="desc")
    assert body(tiny) == ("x + y\ndesc\nsetup: x = 1\n  Median: 50.50 ns\n  IQR:    1.25 ns (50.00 to 51.25)\n"
                          "  4 measurements, 1 runs per measurement, 1 thread")


def test_a_spread_out_measurement_warns_and_multi_line_code_is_indented():
    m = measurement([1.0, 2.0, 3.0, 4.0, 9.0], number=100, stmt="a = 1\nb = 2", setup="import math\nz = 3")
    assert body(m) == (
        "stmt:\n  a = 1\n  b = 2\n\nsetup:\n  import math\n  z = 3\n\n  Median: 30.00 ms\n"
        "  IQR:    20.00 ms (20.00 to 40.00)\n  5 measurements, 100 runs per measurement, 1 thread\n"
        "  WARNING: Interquartile range is 66.7% of the median measurement.\n"
        "           This suggests significant environmental influence.")
    assert m.has_warnings and m.mean == pytest.approx(0.038) and not m.meets_confidence()


def test_unit_helpers():
    assert [B.select_unit(t) for t in (1e-10, 3e-9, 4.5e-6, 0.02, 7.0)] == [
        ("s", 1), ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1)]
    assert B.trim_sigfig(123.456, 2) == 120.0 and B.unit_to_english("us") == "microsecond"
    assert B.ordered_unique([3, 1, 3, 2, 1]) == [3, 1, 2]


def test_merge_pools_times_by_task_spec():
    a = measurement([2e-5, 4e-5])
    b = measurement([3e-4], number=100)
    merged = B.Measurement.merge([a, b, measurement([1.0], stmt="other")])
    assert len(merged) == 2 and merged[0].number_per_run == 1
    assert merged[0].raw_times == pytest.approx([2e-6, 4e-6, 3e-6])


# --- Compare ------------------------------------------------------------------------------

def compare_case():
    results = []
    for threads in (1, 4):
        for size, base in (("small", 1e-5), ("large", 2.5e-4)):
            for dtype, factor in (("float32", 1.0), ("float64", 1.9)):
                times = [base * factor * (1 + 0.01 * i) for i in range(7)]
                results.append(measurement(times, number=100, label="add", sub_label=size, description=dtype,
                                           num_threads=threads))
    results.append(measurement([1e-3, 1.5e-3, 3e-3, 1e-3, 0.9e-3], label="mul", sub_label="noisy",
                               description="float32"))
    results.append(measurement([2e-3] * 5, label="mul", sub_label="steady", description="float64"))
    return results


ADD = """\
[-------------- add --------------]
             |  float32  |  float64
1 threads: ------------------------
      small  |    103.0  |    195.7
      large  |   2575.0  |   4892.5
4 threads: ------------------------
      small  |    103.0  |    195.7
      large  |   2575.0  |   4892.5

Times are in nanoseconds (ns).
"""

MUL = """\
[-------------- mul ---------------]
              |  float32  |  float64
1 threads: -------------------------
      noisy   |   100.0   |         
      steady  |           |   200.0 

Times are in microseconds (us).
"""


def test_compare_prints_a_table_per_label():
    assert str(B.Compare(compare_case())) == ADD + "\n" + MUL


def test_compare_trimmed_with_warnings_highlighted():
    c = B.Compare(compare_case())
    c.trim_significant_figures()
    c.highlight_warnings()
    text = str(c)
    assert "      small  |     100   |     200 \n      large  |    3000   |    5000 \n" in text
    assert text.endswith(
        "      noisy   |  100 (! 50%)  |         \n      steady  |               |    200  \n\n"
        "Times are in microseconds (us).\n"
        "(! XX%) Measurement has high variance, where XX is the IQR / median * 100.\n")


def test_compare_colours_the_best_per_column_or_row():
    c = B.Compare(compare_case()[:4])
    c.trim_significant_figures()
    c.colorize()
    best, very_bad = "\x1b[92m\x1b[1m", "\x1b[31m\x1b[1m"
    end = "\x1b[0m\x1b[0m"
    assert f"small  |  {best}   100 {end}  |  {best}   200 {end}" in str(c)
    assert f"large  |  {very_bad}  3000 {end}  |  {very_bad}  5000 {end}" in str(c)
    c.colorize(rowwise=True)
    assert f"large  |  {best}  3000 {end}  |    5000 " in str(c)


def test_compare_takes_only_measurements():
    with pytest.raises(ValueError, match="^Expected an instance of `Measurement`, got <class 'int'> instead.$"):
        B.Compare([1])


# --- Timer --------------------------------------------------------------------------------

def test_timeit_measures_one_block_in_a_namespace_with_the_module():
    t = B.Timer("y = torch.ones(2) + x", setup="x = 1", globals={"unused": 0}, label="L", num_threads=2)
    m = t.timeit(20)
    assert isinstance(m, B.Measurement) and m.number_per_run == 20 and len(m.raw_times) == 1
    assert (m.stmt, m.setup, m.label, m.num_threads) == ("y = torch.ones(2) + x", "x = 1", "L", 2)
    before = fg.get_num_threads()
    t.timeit(2)
    assert fg.get_num_threads() == before  # num_threads=2 only while timing


def test_autorange_methods_choose_a_power_of_ten_block():
    calls = []
    m = B.Timer("\n    x = 1\n").blocked_autorange(callback=lambda n, t: calls.append(n), min_run_time=0.01)
    assert m.stmt == "x = 1" and sum(m.raw_times) >= 0.01
    assert str(m.number_per_run).strip("0") == "1" and calls and set(calls) == {m.number_per_run}
    a = B.Timer("x = 1").adaptive_autorange(min_run_time=0.001, max_run_time=0.5)
    assert len(a.raw_times) >= 4 or sum(a.raw_times) > 0.5


@pytest.mark.parametrize("make, error, message", [
    (lambda: B.Timer(lambda: 1), ValueError, "^Currently only a `str` stmt is supported.$"),
    (lambda: B.Timer("x", global_setup="y = 1"), ValueError, "^global_setup is C\\+\\+ only, got `y = 1`."),
    (lambda: B.Timer("x", language="rust"), ValueError, "^Invalid language `rust`.$"),
    (lambda: B.Timer("x").repeat(), NotImplementedError, "^See `Timer.blocked_autorange.`$"),
    (lambda: B.Timer("x").autorange(), NotImplementedError, "^See `Timer.blocked_autorange.`$"),
])
def test_timer_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()
