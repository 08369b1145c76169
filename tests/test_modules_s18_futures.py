"""`ferrograd.futures`: Future (wait, value, then, add_done_callback, set_result,
set_exception, done), collect_all and wait_all with PyTorch 2.13's results and errors (the
file also runs with FG_TEST_BACKEND=torch)."""

import importlib
import pickle
import threading

import pytest
from backend import MOD, fg

F = importlib.import_module(f"{MOD}.futures")

CALLBACK_ERROR = "^Got the following error when running the callback: "


def test_a_future_completes_once():
    f = F.Future()
    assert not f.done()
    f.set_result(5)
    assert (f.done(), f.value(), f.wait()) == (True, 5, 5)
    for again in (lambda: f.set_result(6), lambda: f.set_exception(ValueError("x"))):
        with pytest.raises(RuntimeError, match="^Attempting to mark a completed Future as complete again. "
                                               "Note that a Future can only be marked completed once.$"):
            again()


def test_value_before_completion_raises():
    with pytest.raises(RuntimeError):
        F.Future().value()


def test_set_exception_stores_the_exception_itself():
    f = F.Future()
    f.set_exception(KeyError("k"))
    assert f.done()
    for get in (f.wait, f.value):
        with pytest.raises(KeyError, match="'k'"):
            get()
    with pytest.raises(AssertionError, match="^notexc is of type <class 'str'>, not an Exception.$"):
        F.Future().set_exception("notexc")


def test_callbacks_run_on_completion_and_at_once_when_completed():
    f = F.Future()
    seen = []
    f.add_done_callback(lambda fut: seen.append(("first", fut.value())))
    doubled = f.then(lambda fut: fut.wait() * 2)
    assert not doubled.done() and seen == []
    f.set_result(21)
    assert seen == [("first", 21)] and doubled.done() and doubled.wait() == 42
    f.add_done_callback(lambda fut: seen.append(("late", fut.wait())))
    assert seen[-1] == ("late", 21)
    assert f.then(lambda fut: fut.value() + 1).wait() == 22
    assert f.then(lambda fut: None).wait() is None


def test_a_then_callback_that_raises_fails_its_future():
    f = F.Future()
    failing = f.then(lambda fut: 1 / 0)
    f.set_result(1)
    assert failing.done()
    for get in (failing.wait, failing.value):
        with pytest.raises(RuntimeError, match=CALLBACK_ERROR + "ZeroDivisionError: division by zero\n\nAt:\n"):
            get()


def test_then_on_a_set_exception_future():
    f = F.Future()
    f.set_exception(ValueError("bad"))
    with pytest.raises(RuntimeError, match=CALLBACK_ERROR + "ValueError: bad\n\nAt:\n  "):
        f.then(lambda fut: fut.wait()).wait()
    assert f.then(lambda fut: 7).wait() == 7  # a callback that does not look is fine


def test_an_add_done_callback_error_is_reported_and_dropped(capfd):
    f = F.Future()
    f.add_done_callback(lambda fut: 1 / 0)
    f.set_result(1)
    assert f.wait() == 1
    assert "Got the following error when running the callback: ZeroDivisionError" in capfd.readouterr().err


def test_wait_blocks_until_another_thread_completes_it():
    f = F.Future()
    go = threading.Event()

    def complete():
        go.wait()
        f.set_result("late")

    threading.Thread(target=complete).start()
    go.set()
    assert f.wait() == "late"


def test_collect_all_and_wait_all():
    a, b = F.Future(), F.Future()
    gathered = F.collect_all([a, b])
    a.set_result(1)
    assert not gathered.done()
    b.set_result(fg.tensor([2.0]))
    assert gathered.done()
    values = [f.wait() for f in gathered.wait()]
    assert values[0] == 1 and values[1].tolist() == [2.0]
    assert F.wait_all([a, b])[0] == 1
    assert F.collect_all([]).wait() == [] and F.wait_all([]) == []


def test_collect_all_raises_the_first_set_exception_in_list_order():
    a, b, c = F.Future(), F.Future(), F.Future()
    gathered = F.collect_all([a, b, c])
    b.set_exception(ValueError("b"))
    a.set_exception(KeyError("a"))
    assert not gathered.done()  # still waits for c
    c.set_result(3)
    assert gathered.done()
    with pytest.raises(KeyError, match="'a'"):
        gathered.wait()
    with pytest.raises(KeyError, match="'a'"):
        F.wait_all([a, b, c])


def test_collect_all_fails_at_once_with_a_failed_callback():
    p, r = F.Future(), F.Future()
    failing = p.then(lambda fut: 1 / 0)
    gathered = F.collect_all([failing, r])
    p.set_result(1)
    assert gathered.done()  # r is still pending
    with pytest.raises(RuntimeError, match=CALLBACK_ERROR + "ZeroDivisionError"):
        gathered.wait()


@pytest.mark.parametrize("make, error, message", [
    (lambda: F.Future(devices=["cpu"]), ValueError, "^Expected devices to have indices, got cpu$"),
    (lambda: F.Future(devices=["cuda:0"]), RuntimeError, "is not linked with support for cuda devices$"),
    (lambda: F.Future(3), TypeError, "takes 1 positional argument but 2 were given"),
    (lambda: F.Future().then(3), TypeError, "^then\\(\\): incompatible function arguments."),
    (lambda: F.Future().add_done_callback(3), TypeError, "^add_done_callback\\(\\): incompatible function arguments."),
    (lambda: F.collect_all([1]), TypeError, "^_collect_all\\(\\): incompatible function arguments."),
    (lambda: pickle.dumps(F.Future()), RuntimeError, "^Can not pickle .*futures.Future$"),
])
def test_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_devices_with_an_index_are_accepted():
    assert not F.Future(devices=["cpu:0"]).done()
    assert F.__all__ == ["Future", "collect_all", "wait_all"]
