from tqdm import tqdm


class TerminalProgress:
    """A progress bar on the terminal, one bar per stage, fed by ``progress(stage, done, total)``."""

    def __init__(self, stream, unit: str = "行"):
        self.stream = stream
        self.unit = unit
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self._close()
            self.stage = stage
            self.bar = tqdm(
                total=total,
                desc=stage,
                unit=self.unit,
                unit_scale=True,
                file=self.stream._out if hasattr(self.stream, "_out") else self.stream,
                leave=True,
                dynamic_ncols=True,
            )
        if total != self.bar.total:
            self.bar.total = total
        if done > self.bar.n:
            self.bar.update(done - self.bar.n)

    def _close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._close()
        return False
