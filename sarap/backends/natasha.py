"""The natasha/slovnet/razdel backend: loads the models once, converts their output to sarap records."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..model import Document, NerSpan, Span, Token


@dataclass
class NatashaModels:
    """natasha's news models, loaded lazily and once per process."""

    @cached_property
    def embedding(self):
        from ..clusters import shared_embedding  # the one the word clusters read: loaded once per process
        return shared_embedding()

    @cached_property
    def segmenter(self):
        from natasha import Segmenter
        return Segmenter()

    @cached_property
    def morph_tagger(self):
        from natasha import NewsMorphTagger
        return NewsMorphTagger(self.embedding)

    @cached_property
    def ner_tagger(self):
        from natasha import NewsNERTagger
        return NewsNERTagger(self.embedding)

    @cached_property
    def morph_vocab(self):
        from natasha import MorphVocab
        return MorphVocab()

    @cached_property
    def lemma_of(self):
        """natasha's ``token.lemmatize`` memoised per (word, pos, feats): news vocabulary is Zipfian, so a large
        cache answers almost every token, where natasha's own parse cache (10,000 words, shared by every
        MorphVocab) still leaves the choice of the best parse to each token (10x faster on a warm pass)."""
        vocab = self.morph_vocab
        feat_sets: dict[tuple, tuple] = {}  # a few hundred distinct sets, one object each: keys stay small

        @lru_cache(maxsize=50_000)  # ~0.9 KB an entry: ~45 MB when full (124 news texts fill 11,800)
        def cached(word: str, pos: str, feats: tuple) -> str:
            return vocab.lemmatize(word, pos, dict(feats))

        def lemma(token) -> str:
            feats = tuple(token.feats.items())
            return cached(token.text, token.pos, feat_sets.setdefault(feats, feats))
        return lemma

    @cached_property
    def morph_ids(self):
        return word_ids(self.morph_tagger.infer.encoder)

    @cached_property
    def ner_ids(self):
        return word_ids(self.ner_tagger.infer.encoder)

    def tag_morph(self, ndoc) -> None:
        """natasha's ``Doc.tag_morph`` (the same sentences in the same batches), less its two rounds of markup
        records per token: a tag string ("NOUN|Case=Nom|...") is parsed once, not once per token."""
        infer = self.morph_tagger.infer
        words = [[token.text for token in sent.tokens] for sent in ndoc.sents]
        tags = infer.decoder(infer.process(encode(infer.encoder, self.morph_ids, words)))
        for sent, sent_tags in zip(ndoc.sents, tags):
            for token, tag in zip(sent.tokens, sent_tags):
                token.pos, token.feats = morph_tag(tag)

    def tag_ner(self, ndoc) -> None:
        """natasha's ``Doc.tag_ner``, fed the tokens its segmenter already made: natasha's own path tokenises
        the whole text again and searches each token back in it, a fifth of the NER's time for the same words."""
        from natasha.doc import DocSpan
        from slovnet.bio import bio_spans

        if not ndoc.text.strip() or not ndoc.tokens:
            ndoc.spans = []
            return
        infer = self.ner_tagger.infer
        words = [[token.text for token in ndoc.tokens]]
        tags = next(infer.decoder(infer.process(encode(infer.encoder, self.ner_ids, words))))
        ndoc.spans = [DocSpan(span.start, span.stop, span.type, ndoc.text[span.start:span.stop])
                      for span in bio_spans(ndoc.tokens, tags)]
        ndoc.envelop_span_tokens()
        ndoc.envelop_sent_spans()

    def load(self) -> "NatashaModels":
        for name in ("segmenter", "morph_tagger", "ner_tagger", "morph_vocab"):
            getattr(self, name)
        return self

    def annotate(self, text: str):
        """Run natasha's segment + morph + NER over ``text`` and return its Doc."""
        from natasha import Doc
        ndoc = Doc(text)
        ndoc.segment(self.segmenter)
        self.tag_morph(ndoc)
        self.tag_ner(ndoc)
        lemma_of = self.lemma_of
        for token in ndoc.tokens:  # natasha's token.lemmatize, cached
            token.lemma = lemma_of(token)
        for span in ndoc.spans:
            span.normalize(self.morph_vocab)
        return ndoc


def encode(encoder, ids, items: list[list[str]]):
    """slovnet's ``WordShapeEncoder(items)``, the same batches, with ``ids`` (``word_ids`` of that encoder)
    giving each word's (word id, shape id) once rather than once per token."""
    from slovnet.chop import chop

    for chunk in chop(items, encoder.batch_size):
        pairs = [list(map(ids, words)) for words in chunk]
        yield encoder.input([([w for w, _ in found], [s for _, s in found]) for found in pairs])


def word_ids(encoder):
    """A cached word -> (word id, shape id) for one encoder, as its ``item`` computes them."""
    from slovnet.shape import word_shape

    @lru_cache(maxsize=50_000)
    def ids(word: str) -> tuple[int, int]:
        return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))
    return ids


@lru_cache(maxsize=4096)
def morph_tag(tag: str) -> tuple[str, dict[str, str]]:
    """(pos, feats) of a tag string; tokens share the feats dict, which nothing downstream mutates (the
    adapted sarap tokens take copies)."""
    from slovnet.conll import parse_conll_tag
    return parse_conll_tag(tag)


def adapt_sentences(ndoc) -> list[Span]:
    return [Span(s.start, s.stop) for s in ndoc.sents]


def adapt_tokens(ndoc) -> list[Token]:
    return [
        Token(t.start, t.stop, t.text, t.pos or "X", dict(t.feats or {}), (t.lemma or t.text).lower())
        for t in ndoc.tokens
    ]


def adapt_ner(ndoc) -> list[NerSpan]:
    return [NerSpan(s.start, s.stop, s.type, s.text, s.normal or s.text) for s in ndoc.spans]


def make_annotate_stage(models: NatashaModels):
    """Sentences, tokens with morphology, and raw NER spans, in one pass over natasha."""
    from ..pipeline import Stage

    def annotate(doc: Document) -> Document:
        ndoc = models.annotate(doc.text)
        doc.sentences = adapt_sentences(ndoc)
        doc.tokens = adapt_tokens(ndoc)
        doc.ner_spans = adapt_ner(ndoc)
        return doc

    return Stage("annotate", annotate, requires=("text",), assigns=("sentences", "tokens", "ner_spans"))
