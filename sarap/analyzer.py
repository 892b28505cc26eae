"""The public analysis API: ``Analyzer`` loads models once; ``analyze`` reuses one lazily."""
from __future__ import annotations

import threading
from typing import Iterable

from .model import Document
from .pipeline import Pipeline, Stage


def build_stages(models, tone_model: str = "lexical") -> list[Stage]:
    """The analysis stages in order; each says what it reads and writes."""
    from .backends.natasha import make_annotate_stage
    from .dates import make_dates_stage
    from .amounts import make_amounts_stage
    from .events import make_events_stage
    from .cleaning import make_clean_stage
    from .interview import make_interview_stage
    from .ner import make_repair_ner_stage
    from .org_tagger import make_org_tagger_stage
    from .professions import make_professions_stage
    from .quotes import make_quotes_stage
    from .resolution import make_resolve_stage
    from .roles import make_roles_stage
    from .sentiment import shared_model
    from .stances import make_stances_stage

    return [
        make_clean_stage(),
        make_annotate_stage(models),
        make_repair_ner_stage(),
        make_org_tagger_stage(),
        make_resolve_stage(),
        make_roles_stage(),
        make_professions_stage(),
        make_interview_stage(),
        make_quotes_stage(),
        make_dates_stage(),
        make_amounts_stage(),
        make_events_stage(),
        make_stances_stage(shared_model(tone_model)),
    ]


class Analyzer:
    """Loads the NLP models once; ``__call__`` analyses one text, ``map`` a batch.

    ``tone_model`` picks the sentiment model behind entity tone and stances: "lexical" (fast) or "encoder"
    (more accurate, slower); the CLI, ingest, batch and web pass the ``tone_model`` setting.
    """

    def __init__(self, tone_model: str = "lexical") -> None:
        from .backends.natasha import NatashaModels

        self.tone_model = tone_model
        self.models = NatashaModels().load()
        self.pipeline = Pipeline(build_stages(self.models, self.tone_model))

    def __call__(self, text: str, *, title: str | None = None, published: str | None = None,
                 source: str | None = None, url: str | None = None) -> Document:
        doc = Document(text=text, title=title, published=published, source=source, url=url)
        return self.pipeline(doc)

    def map(self, texts: Iterable[str | Document]) -> Iterable[Document]:
        """Analyse many texts (or prepared Documents carrying metadata), yielding in order."""
        for item in texts:
            doc = item if isinstance(item, Document) else Document(text=item)
            yield self.pipeline(doc)


_shared: dict[str, Analyzer] = {}
_lock = threading.Lock()


def shared_analyzer(tone_model: str = "lexical") -> Analyzer:
    """One Analyzer per process (per tone model), created on first use."""
    with _lock:
        if tone_model not in _shared:
            _shared[tone_model] = Analyzer(tone_model)
    return _shared[tone_model]


def analyze(text: str, *, title: str | None = None, published: str | None = None,
            source: str | None = None, url: str | None = None) -> Document:
    """Analyse one Russian text with a process-wide Analyzer (models load on the first call only)."""
    return shared_analyzer()(text, title=title, published=published, source=source, url=url)
