"""The stances stage: tone toward every entity mention, aggregated per entity and per (speaker, target).

Each mention is classified in its sentence by a targeted sentiment model (``sarap.sentiment``), all mentions
of a document in one batch: the lexical one by default; the encoder one scores better on rows, but its USE
encoding of every mention's context adds about half the analysis time, so it is opt-in (the ``tone_model``
setting, ``Analyzer(tone_model="encoder")``; README, section Tone).  The voice a
mention is heard in is the speaker of the innermost quote (answers included) that contains it, else the
outlet's own (speaker null).  Mentions inside a quote whose speaker is unresolved count toward the entity's
tone but give no stance: the voice is unknown.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from .model import Document, Entity, Mention, Sentiment, Span, Stance
from .sentiment import LABEL_NAMES, Prediction, SentimentModel, Target

# Our NER types mapped onto RuSentNE's entity tags (a LOC in political news is most often a country).
TAG_OF_TYPE = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "COUNTRY"}
MAX_EVIDENCE = 10
UNKNOWN_VOICE = "?"  # a quote whose speaker was not resolved


@dataclass(slots=True)
class MentionTone:
    """One classified mention: whose it is, where it was heard, in whose voice, and the prediction."""
    entity: str
    sentence: Span
    voice: str | None
    prediction: Prediction


def mention_targets(doc: Document) -> tuple[list[tuple[Entity, Mention, Span]], list[Target]]:
    """Each mention that lies inside a sentence, with the classifier input built from doc.tokens."""
    starts = [t.start for t in doc.tokens]
    sentence_starts = [s.start for s in doc.sentences]
    places, targets = [], []
    for entity in doc.entities:
        for mention in entity.mentions:
            k = bisect.bisect_right(sentence_starts, mention.start) - 1
            if k < 0 or mention.end > doc.sentences[k].end:
                continue
            target = target_in_sentence(doc, starts, doc.sentences[k], mention, TAG_OF_TYPE.get(entity.type, "PERSON"))
            if target is not None:
                places.append((entity, mention, doc.sentences[k]))
                targets.append(target)
    return places, targets


def target_in_sentence(doc: Document, starts: list[int], sentence: Span, mention: Mention, tag: str) -> Target | None:
    lo, hi = bisect.bisect_left(starts, sentence.start), bisect.bisect_left(starts, sentence.end)
    tokens = doc.tokens[lo:hi]
    inside = [i for i, t in enumerate(tokens) if t.start < mention.end and t.end > mention.start]
    if not inside:
        return None
    return Target([t.text for t in tokens], range(inside[0], inside[-1] + 1), tag,
                  [t.lemma.replace("ё", "е") for t in tokens])


def voice_of(doc: Document, start: int, end: int) -> str | None:
    """The speaker of the innermost quote or answer turn holding [start, end); None for the outlet's voice."""
    holders = [(q.end - q.start, q.speaker) for q in doc.quotes if q.start <= start and end <= q.end]
    holders += [(t.end - t.start, t.speaker) for t in doc.turns
                if t.role == "answer" and t.start <= start and end <= t.end]
    if not holders:
        return None
    speaker = min(holders, key=lambda h: h[0])[1]
    return speaker if speaker is not None and doc.entity(speaker) is not None else UNKNOWN_VOICE


def aggregate_tone(tones: list[MentionTone]) -> Sentiment:
    """Label: the majority of non-neutral mention labels (a tie is neutral); score: mean P(pos) - P(neg)."""
    votes = sum(t.prediction.label for t in tones)
    label = 1 if votes > 0 else -1 if votes < 0 else 0
    score = sum(t.prediction.tone for t in tones) / len(tones)
    return Sentiment(LABEL_NAMES[label], round(score, 3))


def evidence_of(tones: list[MentionTone], label: str) -> list[Span]:
    """The sentences that carry the aggregate label (all of them when it is neutral), in text order."""
    chosen = [t.sentence for t in tones if label == "neutral" or t.prediction.name == label]
    unique = sorted({(s.start, s.end) for s in chosen})
    return [Span(a, b) for a, b in unique[:MAX_EVIDENCE]]


def attach_stances(doc: Document, model: SentimentModel) -> Document:
    """Fill entities[].sentiment and doc.stances from one batch prediction over all mentions."""
    places, targets = mention_targets(doc)
    tones = [MentionTone(entity.id, sentence, voice_of(doc, mention.start, mention.end), prediction)
             for (entity, mention, sentence), prediction in zip(places, model.predict(targets))]
    by_entity: dict[str, list[MentionTone]] = defaultdict(list)
    by_pair: dict[tuple[str | None, str], list[MentionTone]] = defaultdict(list)
    for tone in tones:
        by_entity[tone.entity].append(tone)
        # a speaker's words about themselves are not a stance, and an unknown voice is nobody's
        if tone.voice != UNKNOWN_VOICE and tone.voice != tone.entity:
            by_pair[(tone.voice, tone.entity)].append(tone)
    for entity in doc.entities:
        entity.sentiment = aggregate_tone(by_entity[entity.id]) if by_entity.get(entity.id) else None
    doc.stances = [stance_of(speaker, target, group) for (speaker, target), group in by_pair.items()]
    return doc


def stance_of(speaker: str | None, target: str, tones: list[MentionTone]) -> Stance:
    tone = aggregate_tone(tones)
    return Stance(speaker, target, tone.label, tone.score, evidence_of(tones, tone.label))


def make_stances_stage(model: SentimentModel | None = None):
    """The stage, with the model loaded now (once per Analyzer), not per document."""
    from .pipeline import Stage
    from .sentiment import shared_model
    loaded = model or shared_model("lexical")
    return Stage("stances", lambda doc: attach_stances(doc, loaded),
                 requires=("sentences", "tokens", "entities", "turns", "quotes"), assigns=("stances",))
