"""The profiler (`fg.autograd.profiler`, `fg.profiler`) against PyTorch's behaviour:
event names and shapes as PyTorch records them for the same calls, nesting and self
times, the table layout, schedules, Chrome traces, threads, and that the op wrappers are
gone after the profiler stops. Expected values were read from PyTorch 2.13's profiler.
Parity checks use the `fg` fixture, so they run on torch too (FG_TEST_BACKEND=torch).
"""

import json
import threading

import ferrograd
import pytest


def top_level(events):
    return [(e.name, e.input_shapes) for e in events if e.cpu_parent is None]


def profile_one(fg, call):
    with fg.profiler.profile(record_shapes=True) as prof:
        call()
    return top_level(prof.events())


@pytest.mark.parametrize("call, expected", [
    (lambda fg, x, w: x + x, [("aten::add", [[3, 4], [3, 4], []])]),
    (lambda fg, x, w: 1 + x, [("aten::add", [[3, 4], [], []])]),
    (lambda fg, x, w: x * 2, [("aten::mul", [[3, 4], []])]),
    (lambda fg, x, w: x @ w, [("aten::matmul", [[3, 4], [4, 5]])]),
    (lambda fg, x, w: fg.matmul(x, w), [("aten::matmul", [[3, 4], [4, 5]])]),
    (lambda fg, x, w: x.sum(), [("aten::sum", [[3, 4], []])]),
    (lambda fg, x, w: x.exp(), [("aten::exp", [[3, 4]])]),
    (lambda fg, x, w: 2 ** x, [("aten::pow", [[], [3, 4]])]),
    (lambda fg, x, w: -x, [("aten::neg", [[3, 4]])]),
    (lambda fg, x, w: x // 2, [("aten::floor_divide", [[3, 4], []])]),
    (lambda fg, x, w: x == x, [  # noqa: PLR0124
     ("aten::eq", [[3, 4], [3, 4]])]),
    (lambda fg, x, w: x[0], [("aten::select", [[3, 4], [], []])]),
    (lambda fg, x, w: x[1:], [("aten::slice", [[3, 4], [], [], [], []])]),
    (lambda fg, x, w: x[None], [("aten::unsqueeze", [[3, 4], []])]),
    (lambda fg, x, w: fg.nn.functional.relu(x), [("aten::relu", [[3, 4]])]),
    (lambda fg, x, w: x.view(12), [("aten::view", [[3, 4], []])]),
    (lambda fg, x, w: x.t(), [("aten::t", [[3, 4]])]),
    (lambda fg, x, w: x.detach(), [("aten::detach", [[3, 4]])]),
    (lambda fg, x, w: x.double(), [("aten::to", [[3, 4], [], [], [], []])]),
    (lambda fg, x, w: list(x), [("aten::unbind", [[3, 4], []])]),
], ids=["add", "radd", "mul", "matmul_op", "matmul_fn", "sum", "exp", "rpow", "neg", "floordiv", "eq", "select",
        "slice", "unsqueeze", "relu", "view", "t", "detach", "double", "iter"])
def test_ops_are_recorded_under_pytorchs_names_and_shapes(fg, call, expected):
    x, w = fg.ones(3, 4), fg.ones(4, 5)
    assert profile_one(fg, lambda: call(fg, x, w)) == expected


def test_metadata_calls_and_settings_record_nothing(fg):
    x = fg.ones(3, 4)
    assert profile_one(fg, lambda: (x.size(), x.dim(), x.numel(), x.stride(), x.is_contiguous(), len(x),
                                    fg.is_grad_enabled(), fg.get_default_dtype())) == []


def test_shapes_are_empty_without_record_shapes(fg):
    x = fg.ones(2)
    with fg.profiler.profile() as prof:
        x + x
    assert [(e.name, e.input_shapes) for e in prof.events()] == [("aten::add", [])]


def test_record_function_nests_ops_and_self_time_excludes_children(fg):
    x = fg.ones(8, 8)
    with fg.autograd.profiler.profile() as prof, fg.autograd.profiler.record_function("outer"):
        with fg.autograd.profiler.record_function("inner"):
            x + x
        x * x
    events = {e.name: e for e in prof.function_events}
    outer, inner = events["outer"], events["inner"]
    assert outer.cpu_parent is None and inner.cpu_parent is outer
    assert events["aten::add"].cpu_parent is inner and events["aten::mul"].cpu_parent is outer
    assert [c.name for c in outer.cpu_children] == ["inner", "aten::mul"]
    assert outer.self_cpu_time_total == pytest.approx(
        outer.cpu_time_total - inner.cpu_time_total - events["aten::mul"].cpu_time_total)
    assert outer.is_user_annotation and not events["aten::add"].is_user_annotation
    # every event's time is its own plus its children's; the totals add up to the range
    assert prof.self_cpu_time_total == pytest.approx(outer.cpu_time_total)


def test_key_averages_counts_calls_and_groups_by_input_shape(fg):
    a, b = fg.ones(2), fg.ones(3)
    with fg.autograd.profiler.profile(record_shapes=True) as prof:
        a + a
        a + a
        b + b
    by_name = {e.key: e for e in prof.key_averages()}
    assert by_name["aten::add"].count == 3 and by_name["aten::add"].input_shapes == ""
    by_shape = sorted((e.key, e.count, e.input_shapes) for e in prof.key_averages(group_by_input_shape=True))
    assert by_shape == [("aten::add", 1, [[3], [3], []]), ("aten::add", 2, [[2], [2], []])]
    avg = by_name["aten::add"]
    assert avg.cpu_time == pytest.approx(avg.cpu_time_total / 3)
    assert prof.total_average().key == "Total" and prof.total_average().count == 3


def test_table_has_pytorchs_columns_and_footer(fg):
    x = fg.ones(2)
    with fg.autograd.profiler.profile(record_shapes=True) as prof, fg.autograd.profiler.record_function("my_block"):
        x + x
    lines = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10).splitlines()
    # name column: the longest key + 4; others 12 wide, two spaces apart
    assert lines[0] == "-" * 13 + "  " + "  ".join(["-" * 12] * 6) + "  "
    assert lines[1] == ("         Name    Self CPU %      Self CPU   CPU total %     CPU total  CPU time avg"
                        "    # of Calls  ")
    assert lines[2] == lines[0] and lines[-2] == lines[0]
    assert sorted(line.split()[0] for line in lines[3:-2]) == ["aten::add", "my_block"]
    assert lines[-1].startswith("Self CPU time total: ")
    shaped = prof.key_averages(group_by_input_shape=True).table().splitlines()
    # the shapes column: the longest str(input_shapes) ("[[2], [2], []]") + 4
    assert shaped[1].endswith("    # of Calls        Input Shapes  ")
    top = prof.key_averages().table(top_level_events_only=True, header="HDR").splitlines()
    assert top[1] == "HDR" and top[3] == "This report only display top-level ops statistics"
    assert [line.split()[0] for line in top[7:-2]] == ["my_block"]


def test_table_sorted_by_an_unknown_key_raises_attribute_error(fg):
    x = fg.ones(2)
    with fg.autograd.profiler.profile() as prof:
        x + 1
    with pytest.raises(AttributeError):
        prof.key_averages().table(sort_by="bogus")


def test_schedule_actions_per_step_as_pytorchs(fg):
    s = fg.profiler.schedule(wait=1, warmup=1, active=2, repeat=2, skip_first=1)
    assert [s(i).name for i in range(12)] == ["NONE", "NONE", "WARMUP", "RECORD", "RECORD_AND_SAVE", "NONE",
                                              "WARMUP", "RECORD", "RECORD_AND_SAVE", "NONE", "NONE", "NONE"]
    assert [a.value for a in fg.profiler.ProfilerAction][:4] == [0, 1, 2, 3]


def test_schedule_records_only_active_steps_and_calls_on_trace_ready(fg):
    x = fg.ones(2)
    seen = []

    def ready(p):
        seen.append((p.step_num, [(e.name, e.trace_name) for e in p.events()]))

    with fg.profiler.profile(schedule=fg.profiler.schedule(wait=1, warmup=1, active=2, repeat=1),
                             on_trace_ready=ready) as prof:
        for _ in range(6):
            x + x
            prof.step()
    assert seen == [(4, [("ProfilerStep*", "ProfilerStep#2"), ("aten::add", "aten::add"),
                         ("ProfilerStep*", "ProfilerStep#3"), ("aten::add", "aten::add")])]
    assert prof.step_num == 6 and prof.current_action == fg.profiler.ProfilerAction.NONE
    assert [(e.key, e.count) for e in prof.key_averages()] == [("ProfilerStep*", 2), ("aten::add", 2)]


def test_start_and_stop_without_with(fg):
    x = fg.ones(2)
    prof = fg.profiler.profile()
    prof.start()
    x * x
    prof.stop()
    assert [e.name for e in prof.events()] == ["aten::mul"]


def test_chrome_trace_loads_as_json(fg, tmp_path):
    x = fg.ones(2)
    with fg.profiler.profile(record_shapes=True) as prof:
        x * x
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    trace = json.loads(path.read_text())
    ops = [e for e in trace["traceEvents"] if e.get("cat") == "cpu_op"]
    assert [(e["name"], e["ph"], e["args"]["Input Dims"]) for e in ops] == [("aten::mul", "X", [[2], [2]])]
    assert ops[0]["dur"] >= 0


def test_ops_of_other_threads_are_not_recorded(fg):
    x = fg.ones(2)

    def work():
        with fg.autograd.profiler.record_function("thread_block"):
            x + x

    with fg.profiler.profile() as prof:
        x * x
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert [e.name for e in prof.events()] == ["aten::mul"]


def test_profilers_on_two_threads_each_see_their_own_ops():
    # ferrograd only: PyTorch 2.13 crashes when two threads profile at once
    fg = ferrograd
    results = {}
    barrier = threading.Barrier(2)

    def run(name, op):
        x = fg.ones(2)
        with fg.autograd.profiler.profile() as prof:
            barrier.wait()
            for _ in range(20):
                op(x)
            barrier.wait()
        results[name] = {e.name for e in prof.function_events}

    threads = [threading.Thread(target=run, args=("a", lambda x: x + x)),
               threading.Thread(target=run, args=("b", lambda x: x * x))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"a": {"aten::add"}, "b": {"aten::mul"}}


def test_record_function_outside_a_profiler_is_a_no_op(fg):
    @fg.autograd.profiler.record_function("decorated")
    def double(v):
        return v + v

    x = fg.ones(2)
    with fg.autograd.profiler.record_function("alone"):
        out = double(x)
    assert out.tolist() == [2.0, 2.0]
    with fg.autograd.profiler.profile() as prof:
        double(x)
    assert [(e.name, e.is_user_annotation) for e in prof.function_events] == [("decorated", True),
                                                                              ("aten::add", False)]


def test_events_inside_the_block_are_empty_and_disabled_profile_is_a_no_op(fg):
    x = fg.ones(2)
    with fg.autograd.profiler.profile() as prof:
        x + x
        assert len(prof.key_averages()) == 0
    assert [(e.key, e.count) for e in prof.key_averages()] == [("aten::add", 1)]
    assert fg.autograd.profiler.profile(enabled=False).__enter__() is None


def test_bad_arguments_raise_pytorchs_types(fg):
    with pytest.raises(AssertionError, match="Invalid profiler schedule arguments"):
        fg.profiler.schedule(wait=-1, warmup=1, active=1)
    with pytest.raises(TypeError):
        fg.profiler.schedule(1, 1, 1)
    with pytest.raises(AssertionError, match="No valid profiler activities found"):
        fg.profiler.profile(activities=[])
    cpu = fg.profiler.ProfilerActivity.CPU
    with pytest.raises(ValueError, match="specified more than once"):
        fg.profiler.profile(activities=[cpu, cpu])
    with pytest.raises(RuntimeError):
        fg.autograd.profiler.record_function(3).__enter__()


def test_a_second_profiler_on_the_same_thread_raises_runtime_error():
    with ferrograd.profiler.profile(), pytest.raises(RuntimeError, match="already enabled on this thread"):
        ferrograd.profiler.profile().__enter__()


def test_emit_nvtx_and_emit_itt_are_cpu_context_managers():
    for cls in (ferrograd.autograd.profiler.emit_nvtx, ferrograd.autograd.profiler.emit_itt):
        with cls() as annotation:
            assert annotation.entered
        assert not annotation.entered
        with cls(), pytest.raises(RuntimeError, match="not reentrant"):
            annotation = cls()
            annotation.__enter__()
            annotation.__enter__()


def _tensor_attributes():
    return {name: ferrograd.Tensor.__dict__[name] for name in ("__add__", "__matmul__", "sum", "add", "__getitem__")}


def test_originals_are_restored_after_exit_and_after_an_exception():
    tensor_before = _tensor_attributes()
    add_before, relu_before = ferrograd.add, ferrograd.nn.functional.relu
    with ferrograd.autograd.profiler.profile():
        assert ferrograd.Tensor.__dict__["sum"] is not tensor_before["sum"]
        assert ferrograd.add is not add_before
    assert _tensor_attributes() == tensor_before
    assert ferrograd.add is add_before and ferrograd.nn.functional.relu is relu_before
    with pytest.raises(ValueError), ferrograd.profiler.profile():
        ferrograd.ones(2) + 1
        raise ValueError("inside")
    assert _tensor_attributes() == tensor_before and ferrograd.add is add_before


def test_profile_memory_and_with_stack_fill_their_fields(tmp_path):
    x = ferrograd.ones(4, dtype=ferrograd.float64)
    with ferrograd.autograd.profiler.profile(profile_memory=True, with_stack=True) as prof:
        x + x
        x.view(2, 2)  # a view allocates nothing
    event, view = prof.function_events
    assert event.cpu_memory_usage == 4 * 8 and view.cpu_memory_usage == 0
    assert event.stack[0].startswith(__file__) and event.stack[0].endswith("test_profile_memory_and_with_stack_fill_their_fields")
    assert "CPU Mem" in prof.key_averages().table().splitlines()[1]
    path = tmp_path / "stacks.txt"
    prof.export_stacks(str(path))
    # one line per event with at least 1 us of self time: frames outermost first (spaces as "_"), then the time
    expected = [f"):_test_profile_memory_and_with_stack_fill_their_fields {int(e.self_cpu_time_total)}"
                for e in prof.function_events if int(e.self_cpu_time_total) > 0]
    lines = path.read_text().splitlines()
    assert len(lines) == len(expected) and all(line.endswith(end) for line, end in zip(lines, expected))


def test_lazy_top_level_submodule():
    import ferrograd.profiler as by_import

    assert ferrograd.profiler is by_import and ferrograd.profiler.record_function is (
        ferrograd.autograd.profiler.record_function)
    assert ferrograd.profiler.supported_activities() == {ferrograd.profiler.ProfilerActivity.CPU}


def test_a_training_step_records_pytorchs_top_level_events(fg):
    fg.manual_seed(0)
    model = fg.nn.Sequential(fg.nn.Linear(4, 8), fg.nn.ReLU(), fg.nn.Linear(8, 2))
    opt = fg.optim.SGD(model.parameters(), lr=0.1)
    x, y = fg.randn(16, 4), fg.tensor([0, 1] * 8)
    with fg.profiler.profile(record_shapes=True) as prof:
        opt.zero_grad()
        fg.nn.functional.cross_entropy(model(x), y)
        opt.step()
    names = [(e.name, e.input_shapes) for e in prof.events() if e.cpu_parent is None]
    assert names == [("Optimizer.zero_grad#SGD.zero_grad", []), ("aten::linear", [[16, 4], [8, 4], [8]]),
                     ("aten::relu", [[16, 8]]), ("aten::linear", [[16, 8], [2, 8], [2]]),
                     ("aten::cross_entropy_loss", [[16, 2], [16], [], [], [], []]),
                     ("Optimizer.step#SGD.step", [])]


def test_backward_records_each_node_as_pytorchs_engine_does(fg):
    x = fg.ones(3, requires_grad=True)
    y = (x * 2).sum()
    with fg.profiler.profile(record_shapes=True) as prof:
        y.backward(retain_graph=True)
    # PyTorch also records the seed gradient (aten::ones_like) and the ops each node runs
    events = [(e.name, e.input_shapes, e.cpu_parent.name if e.cpu_parent else None)
              for e in prof.events() if "Backward" in e.name or "AccumulateGrad" in e.name]
    evaluate = "autograd::engine::evaluate_function: "
    assert events == [
        (evaluate + "SumBackward0", [], None), ("SumBackward0", [[]], evaluate + "SumBackward0"),
        (evaluate + "MulBackward0", [], None), ("MulBackward0", [[3]], evaluate + "MulBackward0"),
        (evaluate + "torch::autograd::AccumulateGrad", [], None),
        ("torch::autograd::AccumulateGrad", [[3]], evaluate + "torch::autograd::AccumulateGrad"),
    ]
    assert [e.scope for e in prof.events() if e.name == "MulBackward0"] == [1]
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    y.backward()  # the timing hooks are gone: a plain second backward accumulates once more
    assert x.grad.tolist() == [4.0, 4.0, 4.0]


def test_autograd_grad_records_the_nodes_it_runs(fg):
    x = fg.ones(3, requires_grad=True)
    y = (x * x).sum()
    with fg.profiler.profile() as prof:
        (g,) = fg.autograd.grad(y, [x])
    names = [e.name for e in prof.events() if e.cpu_parent is None and e.name.startswith("autograd::")]
    # (PyTorch then records the leaf's AccumulateGrad too, which autograd.grad does not run here)
    assert names[:2] == ["autograd::engine::evaluate_function: SumBackward0",
                         "autograd::engine::evaluate_function: MulBackward0"]
    assert g.tolist() == [2.0, 2.0, 2.0]


def test_on_trace_ready_runs_once_at_exit_without_a_schedule(fg):
    x = fg.ones(2)
    seen = []
    with fg.profiler.profile(on_trace_ready=lambda p: seen.append([e.name for e in p.events()])):
        x + x
        assert seen == []
    assert seen == [["aten::add"]]


def test_tensorboard_trace_handler_writes_a_trace_file(fg, tmp_path):
    x = fg.ones(2)
    folder = tmp_path / "logs"
    with fg.profiler.profile(on_trace_ready=fg.profiler.tensorboard_trace_handler(str(folder), worker_name="w")):
        x * x
    (path,) = folder.iterdir()
    assert path.name.startswith("w.") and path.name.endswith(".pt.trace.json")
    names = [e["name"] for e in json.loads(path.read_text())["traceEvents"] if e.get("cat") == "cpu_op"]
    assert names == ["aten::mul"]
