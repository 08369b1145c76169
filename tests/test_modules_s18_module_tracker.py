"""`utils.module_tracker.ModuleTracker`: the running modules' names in forward and in
backward, as PyTorch 2.13 reports them (the file also runs with FG_TEST_BACKEND=torch)."""

import importlib

from backend import MOD, fg

ModuleTracker = importlib.import_module(f"{MOD}.utils.module_tracker").ModuleTracker
nn = fg.nn


class Inner(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    def forward(self, x):
        return self.lin(x).relu()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Inner()
        self.b = nn.Linear(2, 1)

    def forward(self, x):
        return self.b(self.a(x))


def test_forward_names_follow_the_first_module_seen():
    net = Net()
    seen = []

    class Probe(nn.Module):
        def forward(self, x):
            seen.append(sorted(tracker.parents))
            return x

    net.a.lin = nn.Sequential(nn.Linear(2, 2), Probe())
    with ModuleTracker() as tracker:
        assert tracker.parents == {"Global"} and not tracker.is_bw
        net(fg.ones(1, 2))
        assert tracker.parents == {"Global"}
    assert seen == [["Global", "Net", "Net.a", "Net.a.lin", "Net.a.lin.1"]]


def test_backward_enters_at_the_outputs_and_leaves_at_the_inputs():
    net = Net()
    log = []

    def probe(name):
        def hook(grad):
            log.append((name, sorted(tracker.parents), tracker.is_bw))

        return hook

    with ModuleTracker() as tracker:
        x = fg.ones(1, 2, requires_grad=True)
        h = net.a(x)  # called on its own: named by its class
        h.register_hook(probe("h"))
        y = net.b(h)
        y.register_hook(probe("y"))
        assert tracker.parents == {"Global"} and not tracker.is_bw
        y.sum().backward()
        assert tracker.parents == {"Global"} and not tracker.is_bw
        assert log == [("y", ["Global", "Linear"], True), ("h", ["Global", "Inner", "Linear"], True)]
        assert len(tracker._hooks) == 6  # inputs and outputs of Inner, Inner.lin, b
    assert tracker._hooks == []

