"""A pipeline is an ordered list of named stages, each a callable Document -> Document."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .model import Document


@dataclass(slots=True)
class Stage:
    """One named step.  ``requires``/``assigns`` name Document fields so the order can be checked."""
    name: str
    run: Callable[[Document], Document]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


class StageError(RuntimeError):
    """A stage failed; the message starts with the stage's name."""

    def __init__(self, stage: str, cause: BaseException):
        super().__init__(f"stage {stage!r} failed: {type(cause).__name__}: {cause}")
        self.stage = stage


@dataclass
class Pipeline:
    stages: list[Stage] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_order(self.stages)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            try:
                doc = stage.run(doc)
            except Exception as exc:  # the stage's name is what a user needs to report a bug
                raise StageError(stage.name, exc) from exc
        return doc

    def map(self, docs: Iterable[Document]) -> Iterable[Document]:
        for doc in docs:
            yield self(doc)


BASE_FIELDS = {"text", "title", "source", "url", "published", "language"}


def check_order(stages: list[Stage]) -> None:
    """Fail early when a stage reads a field that no earlier stage writes."""
    available = set(BASE_FIELDS)
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise ValueError(f"stage {stage.name!r} requires {missing}, which no earlier stage assigns")
        available.update(stage.assigns)
