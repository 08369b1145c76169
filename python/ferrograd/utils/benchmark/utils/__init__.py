"""The parts of `ferrograd.utils.benchmark`: `common` (TaskSpec, Measurement), `timer`
(Timer) and `compare` (Compare)."""
