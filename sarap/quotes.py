"""Who said what: interview answers, direct speech in quotation marks, and reported speech.

Reading order of the rules: every answer turn is a quote by its speaker; a «…»/„…“/“…” span is direct speech
only with an attribution next to it ("— заявил X", "X сказал: «…»", "по словам X, «…»"), so «холодной войны» or
a newspaper's name is not a quote; a speech verb with a subject ("X заявил, что …", "Президент четко обозначил:
…", "Как отметил X, …", "…, сообщил X.", "Об этом заявил X.") or "по словам X, …" is reported speech, unless the
words after a colon speak in the first person ("X сказал: Мы не знаем …"), which is direct speech whose
quotation marks were lost.  Speakers are entities: a name, a role the entity resolution tied to a person
("глава государства"), an organisation ("МИД заявил"), "он"/"она" for the last person named, "вы" in a question
for the person answering it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .interview import mentions_in
from .model import Document, Entity, Mention, Quote, Span, Token, Turn

if TYPE_CHECKING:
    from .pipeline import Stage

# Lemmas of Russian verbs that report speech or a stated opinion, both aspects; pymorphy lemmas cover every
# gender, number and tense ("заявила", "подчеркивает", "отметили").  Verbs of mere conversation ("обсудить",
# "беседовать") are left out: they say that people talked, not what was said.
SPEECH_VERBS = frozenset("""
заявить заявлять сказать говорить отметить отмечать подчеркнуть подчеркивать подчёркивать сообщить сообщать
добавить добавлять считать обозначить обозначать напомнить напоминать признать признавать пояснить пояснять
указать указывать заметить замечать констатировать уточнить уточнять рассказать рассказывать объяснить
объяснять предупредить предупреждать полагать утверждать ответить отвечать призвать призывать заверить
заверять пообещать обещать подтвердить подтверждать опровергнуть опровергать признаться резюмировать
акцентировать настаивать выразить высказать высказаться подытожить посетовать сетовать пожаловаться
жаловаться предположить предполагать возразить парировать прокомментировать спрогнозировать прогнозировать
""".split())
# "X уверен, что …": short adjectives that report a conviction; pymorphy gives the short participles
# "уверен"/"убеждён" the verb's lemma, so both forms are listed.
SPEECH_ADJECTIVES = frozenset({"уверенный", "убежденный", "уверить", "убедить"})
# Head nouns of titles and professions that can stand for a person as a subject ("Президент заявил", "глава
# МИД сообщил", "— сказал адвокат Сергей Лукин").
TITLE_HEADS = frozenset("""
президент премьер премьер-министр министр замминистра глава председатель спикер посол губернатор мэр аким
канцлер госсекретарь спецпредставитель представитель пресс-секретарь секретарь генсек лидер руководитель
директор заместитель вице-президент вице-премьер депутат сенатор король монарх командующий
адвокат юрист журналист историк социолог профессор писатель эксперт политолог аналитик экономист
""".split())
# "глава государства" means the head of state, who in the region's republics is the president.
HEAD_OF_STATE = frozenset({"президент", "король", "монарх", "эмир", "султан"})
_OPENERS = {"«": "»", "„": "“", "“": "”"}
_DASHES = {"—", "–", "-"}
_NEGATION = {"не", "ни"}
# Reported speech moves to the third person; words after a colon that still say "я"/"мы" are the speaker's own.
_FIRST_PERSON = re.compile(r"\b(я|меня|мне|мной|мой|моя|моё|мое|мои|мы|нас|нам|нами|наш|наша|наше|наши)\b",
                           re.IGNORECASE)
# Punctuation that does not end a clause: a hyphen and quotation marks around a name or phrase.
_INLINE_MARKS = {"-", "«", "»", "„", "“", "”", '"'}


@dataclass(slots=True)
class IndexedDocument:
    """The parts of a Document this stage reads, plus sorted token ends and sentence starts so that every
    offset lookup bisects instead of scanning (the stage stays linear on long texts)."""
    text: str
    tokens: list[Token]
    sentences: list[Span]
    entities: list[Entity]
    turns: list[Turn]
    token_ends: list[int]
    sentence_starts: list[int]
    quoted: list[tuple[int, int]]

    @classmethod
    def of(cls, doc: Document) -> "IndexedDocument":
        return cls(doc.text, doc.tokens, doc.sentences, doc.entities, doc.turns,
                   [t.end for t in doc.tokens], [s.start for s in doc.sentences], quoted_spans(doc.text))


@dataclass(slots=True)
class Source:
    """An attribution found next to quoted words; ``speaker`` is None when the verb's subject is unresolved
    (the words are still direct speech)."""
    speaker: str | None


@dataclass(slots=True)
class Attribution:
    """A speech verb's speaker (None when unresolved) and the span of what was said."""
    speaker: str | None
    start: int
    end: int
    kind: str = "indirect"


def extract_quotes(doc: Document) -> Document:
    """The quotes stage: answers, direct and reported speech, each with the entities it is about."""
    indexed = IndexedDocument.of(doc)
    quotes = answer_quotes(indexed)
    direct = direct_quotes(indexed)
    quotes += direct
    quotes += indirect_quotes(indexed, direct)
    for quote in quotes:
        quote.about = entities_inside(indexed, quote)
    doc.quotes = sorted(quotes, key=lambda q: (q.start, q.kind))
    return doc


def answer_quotes(doc: IndexedDocument) -> list[Quote]:
    """Every answer turn is the interviewee's quote; the dash or label opening the turn is not speech.  A
    "Word:" opening counts as a label only when several answers open with it ("Ответ:", "С.Л.:"), so an
    answer that starts "Да: …" keeps its first word."""
    answers = [t for t in doc.turns if t.role == "answer"]
    openings = [turn_opening(doc.text, t) for t in answers]
    labels = {o for o in openings if o and openings.count(o) >= 2}
    out = []
    for turn, opening in zip(answers, openings):
        dash = re.match(r"[–—-]\s+", doc.text[turn.start:turn.end])
        skip = dash.end() if dash else (len(opening) if opening in labels else 0)
        out.append(Quote(turn.speaker, "answer", turn.start + skip, turn.end))
    return out


def turn_opening(text: str, turn: Turn) -> str:
    """The "Label: " a turn opens with, if any (with its trailing spaces)."""
    m = re.match(r"[^\s:]{1,40}(?:\s[^\s:]{1,20}){0,2}:\s+", text[turn.start:turn.end])
    return m.group() if m else ""


def entities_inside(doc: IndexedDocument, quote: Quote) -> list[str]:
    ids = []
    for entity in doc.entities:
        if entity.id != quote.speaker and any(quote.start <= m.start and m.end <= quote.end
                                              for m in entity.mentions):
            ids.append(entity.id)
    return ids


# --- direct speech ------------------------------------------------------------------------------------------

def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Outermost «…», „…“ and “…” spans (offsets of the content, marks excluded); nested marks stay inside."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if stack and ch == _OPENERS[stack[-1][0]]:
            _, start = stack.pop()
            if not stack:
                spans.append((start + 1, i))
        elif ch in _OPENERS:
            stack.append((ch, i))
        elif ch == "\n":
            stack = []   # quotation marks do not cross paragraphs in news copy
    return spans


def direct_quotes(doc: IndexedDocument) -> list[Quote]:
    """Quoted spans with an attribution after ("», — заявил X") or before ("X сказал: «"), plus dashed
    dialogue paragraphs in an article ("— Мы готовы, — сказал X.")."""
    out = []
    for start, end in doc.quoted:
        found = attribution_after(doc, end + 1) or attribution_before(doc, start - 1) or attribution_inside(
            doc, start, end)
        if found is None and len(doc.text[start:end].split()) >= 3:   # «Северный мост» is a name, not words
            found = person_opening(doc, start - 1)
        if found is not None:
            out.append(Quote(found.speaker, "direct", start, end))
    out += dashed_quotes(doc, out)
    return out


def attribution_after(doc: IndexedDocument, offset: int) -> Source | None:
    """"…», — заявил X" / "…», — X заявил": the speech verb right after a dash following the quote.  Without
    the dash ("…», говорит X") the verb must come first: "«Известия», Казахстан …" is no attribution."""
    m = re.match(r"[,.!?…]?\s*[—–-]\s+|,\s+", doc.text[offset:offset + 6])
    if not m:
        return None
    tokens = doc.tokens
    i = token_at(doc, offset + m.end())
    if i is None:
        return None
    reach = 6 if re.search(r"[—–-]", m.group()) else 1
    for j in range(i, min(i + reach, len(tokens))):
        if tokens[j].text in ".!?;" or (tokens[j].pos == "PUNCT" and j > i and tokens[j].text != ","):
            break
        if is_speech_word(tokens[j]):
            speaker = subject_after(doc, j) if j == i or tokens[j - 1].pos == "ADV" else subject_before(doc, j)
            return Source(speaker.id if speaker else None)
    return None


def attribution_inside(doc: IndexedDocument, start: int, end: int) -> Source | None:
    """A quotation split by its attribution: "«Это не значит …, — пояснила Алла Бут. — Но мы …»"."""
    for m in re.finditer(r"[,.!?…]\s*[—–]\s+(?=[а-яё])", doc.text[start:end]):
        found = attribution_after(doc, start + m.start())
        if found is not None:
            return found
    return None


def attribution_before(doc: IndexedDocument, offset: int) -> Source | None:
    """"X сказал: «…»" and "по словам X, «…»": a speech verb before a colon, or "по словам X" before a
    comma, in the same sentence.  "констатировала, что МТС, «Вымпелком» …" lists names, not words said."""
    mark = doc.text[max(0, offset - 6):offset].rstrip(" —–-")[-1:]   # "говорит X: — «…»"
    if mark not in (":", ","):
        return None
    sent_start = sentence_start(doc, offset)
    for j in reversed(range(token_at(doc, sent_start) or 0, token_at(doc, offset - 1) or 0)):
        token = doc.tokens[j]
        if token.start < sent_start:
            break
        if mark == ":" and is_speech_word(token) and not negated(doc, j):
            speaker = subject_before(doc, j) or subject_after(doc, j)
            return Source(speaker.id if speaker else None)
        if mark == "," and is_according_to(doc, j):
            speaker = according_to_whom(doc, j)
            return Source(speaker.id if speaker else None)
    return None


def person_opening(doc: IndexedDocument, colon: int) -> Source | None:
    """"Иван Петров: «…»" (a headline) or "Воробьёв даёт объяснение …: «…»": a person named in the
    nominative at the head of the sentence introduces the quotation after the colon."""
    if doc.text[max(0, colon - 6):colon].rstrip(" —–-")[-1:] != ":":
        return None
    start = paragraph_start(doc, sentence_start(doc, colon), colon)
    first = token_at(doc, start)
    if first is None:
        return None
    for entity, mention in mentions_in(doc, start, colon, ("PER",)):
        head = [t for t in doc.tokens[first:first + 4] if mention.start <= t.start < mention.end]
        if head and head[0].feats.get("Case", "Nom") == "Nom":
            return Source(entity.id)
        break
    return None


def dashed_quotes(doc: IndexedDocument, taken: list[Quote]) -> list[Quote]:
    """"— Мы готовы к диалогу, — заявил Петров." in an article: the words before the second dash."""
    turns = [(t.start, t.end) for t in doc.turns if t.role in ("question", "answer")]
    out = []
    for m in re.finditer(r"^[—–-]\s+(?P<said>[^\n]+?)[,.!?…]\s*[—–-]\s+", doc.text, re.MULTILINE):
        start, end = m.start("said"), m.end("said")
        if any(s <= start < e for s, e in turns) or any(q.start <= start < q.end for q in taken):
            continue
        found = attribution_after(doc, end)
        if found is not None:
            out.append(Quote(found.speaker, "direct", start, end))
    return out


# --- reported speech ----------------------------------------------------------------------------------------

def indirect_quotes(doc: IndexedDocument, direct: list[Quote]) -> list[Quote]:
    """"X заявил, что …", "X подчеркнул: …", "Как отметил X, …", "по словам X, …"."""
    out = []
    for i, token in enumerate(doc.tokens):
        found = None
        if is_speech_word(token) and not negated(doc, i):
            found = reported_after_verb(doc, i)
        elif is_according_to(doc, i):
            found = reported_by_words(doc, i)
        if found is not None:
            found = outside_direct(doc, found, direct)
        if found is not None and found.end - found.start >= 10:
            out.append(Quote(found.speaker, found.kind, found.start, found.end))
    return out


def outside_direct(doc: IndexedDocument, found: Attribution, direct: list[Quote]) -> Attribution | None:
    """Reported words that a direct quote already carries are dropped; a report running into the next
    quotation (a sentence split missed at "… 8,2 G. «Для меня …") ends where the quotation opens."""
    for q in direct:
        if q.start <= found.start < q.end + 2:
            return None
        if found.start < q.start < found.end:
            found.end = found.start + len(doc.text[found.start:q.start - 1].rstrip(" .,:;—–-"))
    return found


def reported_after_verb(doc: IndexedDocument, i: int) -> Attribution | None:
    """Reported speech around a speech verb, in the orders Russian news uses: "X заявил, что …", "Как заявил
    X, …", "…, заявил X." and "Об этом заявил X." (the sentence before)."""
    tokens = doc.tokens
    prev = previous_word(doc, i)
    before = tokens[prev] if prev is not None else None
    if before is not None and (before.text in _DASHES or doc.text[before.end:tokens[i].start].strip()
                               in ("»", "“", "”")):
        return None   # "», — заявил X": direct speech, handled there
    if before is not None and before.lemma == "как":
        start = next_comma_after(doc, i)
        return attributed(subject_after(doc, i), start, content_end(doc, start))
    if before is not None and before.text == ",":
        return said_before_comma(doc, i, before.start)
    if about_this(doc, i):
        return attributed(subject_after(doc, i) or subject_before(doc, i), *previous_sentence(doc, i))
    speaker = subject_before(doc, i)
    start = content_start(doc, i) if speaker is not None else None
    found = attributed(speaker, start, content_end(doc, start)) if start is not None else None
    if found is not None and doc.text[max(0, start - 3):start].rstrip().endswith(":") and _FIRST_PERSON.search(
            doc.text[found.start:found.end]):
        found.kind = "direct"
    return found


def attributed(speaker: Entity | None, start: int, end: int) -> Attribution | None:
    return Attribution(speaker.id, start, end) if speaker is not None and end > start else None


def said_before_comma(doc: IndexedDocument, i: int, comma: int) -> Attribution | None:
    """"Переговоры продолжатся, заявил X." — the verb and its subject close the sentence."""
    rest = doc.text[doc.tokens[i].end:content_end(doc, doc.tokens[i].end)]
    if re.search(r"[,:]", rest):
        return None   # "…, заявил X, что …" or a clause after the name: not a closing attribution
    start = paragraph_start(doc, sentence_start(doc, comma), comma)
    start += len(doc.text[start:comma]) - len(doc.text[start:comma].lstrip("—–- "))
    return attributed(subject_after(doc, i), start, comma)


def about_this(doc: IndexedDocument, i: int) -> bool:
    """Whether the sentence opens "Об этом …" a few words before the verb."""
    first = token_at(doc, sentence_start(doc, doc.tokens[i].start))
    words = [t.lemma for t in doc.tokens[first:i]] if first is not None else []
    return len(words) <= 6 and words[:2] in (["о", "это"], ["об", "это"])


def previous_sentence(doc: IndexedDocument, i: int) -> tuple[int, int]:
    n = bisect_right(doc.sentence_starts, doc.tokens[i].start) - 1
    if n < 1:
        return 0, 0
    sent = doc.sentences[n - 1]
    end = content_end(doc, paragraph_start(doc, sent.start, sent.end))
    return paragraph_start(doc, sent.start, end), end


def paragraph_start(doc: IndexedDocument, start: int, end: int) -> int:
    """``start``, moved past the last line break before ``end``."""
    return max(start, doc.text.rfind("\n", start, end) + 1)


# "по словам X", "по мнению X", "по утверждению X" …: the noun after "по" that attributes words to X.
_ACCORDING_TO = frozenset({"слово", "мнение", "утверждение", "заявление", "признание", "оценка", "убеждение"})
_POSSESSIVES = frozenset({"его", "её", "ее", "их"})


def is_according_to(doc: IndexedDocument, i: int) -> bool:
    """"по словам" at ``i`` (the noun), also with a possessive between: "по её словам"."""
    if doc.tokens[i].lemma not in _ACCORDING_TO or i < 1:
        return False
    j = i - 1 if doc.tokens[i - 1].text.lower() not in _POSSESSIVES else i - 2
    return j >= 0 and doc.tokens[j].lemma == "по"


def according_to_whom(doc: IndexedDocument, i: int) -> Entity | None:
    """X of "по словам X" (a genitive after the noun) or of "по его словам" (the person "его" stands for)."""
    owner = doc.tokens[i - 1].text.lower()
    if owner in _POSSESSIVES:
        gender = "Masc" if owner == "его" else "Fem"
        return antecedent(doc, doc.tokens[i - 1].start, gender) if owner != "их" else None
    return subject_after(doc, i, "Gen")


def reported_by_words(doc: IndexedDocument, i: int) -> Attribution | None:
    """"По словам X, …" opening a sentence reports what follows; inside a sentence ("Их жертвой, по словам
    президента, становится реформа") it reports the whole sentence."""
    speaker = according_to_whom(doc, i)
    if speaker is None:
        return None
    opener = i - 2 if doc.tokens[i - 1].text.lower() in _POSSESSIVES else i - 1
    sent_start = paragraph_start(doc, sentence_start(doc, doc.tokens[i].start), doc.tokens[i].start)
    if doc.tokens[opener].start != sent_start:
        return Attribution(speaker.id, sent_start, content_end(doc, sent_start))
    # The words follow the speaker's name, with or without the comma ("По словам Роналду ни одна …").
    named = None if opener == i - 2 else min(
        (m.end for m in speaker.mentions if doc.tokens[i].end < m.start < doc.tokens[i].end + 80), default=None)
    start = next_comma_after(doc, i) if named is None else named + len(
        re.match(r"[\s,]*", doc.text[named:named + 4]).group())
    return Attribution(speaker.id, start, content_end(doc, start))


def content_start(doc: IndexedDocument, i: int) -> int | None:
    """Where the reported words begin: after ", что" or ":" when they follow closely, else after the verb.
    A quotation mark right there means direct speech (handled elsewhere)."""
    tokens = doc.tokens
    start = tokens[i].end
    for j in range(i + 1, min(i + 8, len(tokens))):
        if tokens[j].text in ".!?;":
            break
        if tokens[j].text == ":" or (tokens[j].lemma in ("что", "чтобы") and tokens[j - 1].text == ","):
            start = tokens[j].end
            break
    rest = doc.text[start:start + 3].lstrip()
    if not rest or rest[0] in _OPENERS:
        return None
    if start == tokens[i].end and not says_what(doc, i + 1):
        return None
    return start + (len(doc.text[start:start + 3]) - len(doc.text[start:start + 3].lstrip()))


def says_what(doc: IndexedDocument, j: int) -> bool:
    """Without "что"/":", a verb reports speech only through its object: "подчеркнул сложность",
    "заявил о намерении" — not "ответил на вопросы" or "сказал журналистам"."""
    while j < len(doc.tokens) and doc.tokens[j].pos == "ADV":
        j += 1
    if j >= len(doc.tokens):
        return False
    token = doc.tokens[j]
    if token.pos == "ADP":
        return token.lemma in ("о", "об", "обо", "про")
    return token.pos in ("NOUN", "ADJ", "DET", "PROPN", "NUM") and token.feats.get("Case", "Acc") == "Acc"


def content_end(doc: IndexedDocument, start: int) -> int:
    """The end of the sentence holding ``start``, without its final punctuation; never past the paragraph
    (a headline without a full stop runs into the next line for the sentence splitter)."""
    n = bisect_right(doc.sentence_starts, start) - 1
    end = doc.sentences[n].end if n >= 0 else len(doc.text)
    newline = doc.text.find("\n", start, end)
    end = newline if newline >= 0 else end
    while end > start and doc.text[end - 1] in ".!?…;, ":
        end -= 1
    return end


def next_comma_after(doc: IndexedDocument, i: int) -> int:
    tokens = doc.tokens
    for j in range(i + 1, min(i + 12, len(tokens))):
        if tokens[j].text == ",":
            return tokens[j].end + 1 if doc.text[tokens[j].end:tokens[j].end + 1] == " " else tokens[j].end
        if tokens[j].text in ".!?":
            break
    return tokens[i].end


# --- speakers ----------------------------------------------------------------------------------------------

def subject_before(doc: IndexedDocument, i: int) -> Entity | None:
    """The subject left of a speech verb: a named person or organisation, a title standing for a person
    ("Глава государства", "Президент"), or "он"/"она"; adverbs between them are skipped."""
    j = nominative_left(doc, i)
    if j is None:
        return None
    # The subject's head and its dependents up to the verb: "Глава | государства", "Министерство | финансов".
    tail = [k for k in range(j + 1, i) if doc.tokens[k].pos not in ("ADV", "PART", "PUNCT")]
    return subject_at(doc, noun_phrase_left(doc, j) + tail, j)


def nominative_left(doc: IndexedDocument, i: int) -> int | None:
    """The nearest nominative noun or pronoun left of ``i`` in the same clause, stepping over adverbs and
    circumstances ("Губернатор Павел Ерёмин на прошлой неделе заявил")."""
    j = previous_word(doc, i)
    for _ in range(14):   # "Он одним из первых среди лидеров государств «среднего уровня» открыто говорил"
        if j is None:
            return None
        token = doc.tokens[j]
        if token.text == ")":
            j = opening_bracket(doc, j)   # "Билл Герстенмайер (Bill Gerstenmaier) высказался"
            continue
        if token.lemma in _NEGATION or token.pos in ("SCONJ", "VERB", "AUX") or (
                token.pos == "PUNCT" and token.text not in _INLINE_MARKS):
            return None
        if token.pos in ("NOUN", "PROPN", "PRON") and token.feats.get("Case", "Nom") == "Nom":
            before = previous_word(doc, j)
            if before is None or doc.tokens[before].pos != "ADP":
                return j
        j = previous_word(doc, j)
    return None


def opening_bracket(doc: IndexedDocument, j: int) -> int | None:
    """The word before the "(" that matches the ")" at ``j`` (None if it is not in the sentence)."""
    k = j
    while k is not None and doc.tokens[k].text != "(":
        k = previous_word(doc, k)
    return previous_word(doc, k) if k is not None else None


def subject_after(doc: IndexedDocument, i: int, case: str = "Nom") -> Entity | None:
    """The subject right of a verb ("— заявил журналистам глава МИД Иван Петров", "— сказал он"), or the
    genitive after "по словам": the first noun in ``case`` is the head."""
    tokens, phrase = doc.tokens, []
    for j in range(i + 1, min(i + 9, len(tokens))):
        if tokens[j].pos == "PUNCT" and tokens[j].text not in ("-",):
            break
        phrase.append(j)
    heads = [j for j in phrase if tokens[j].pos in ("NOUN", "PROPN", "PRON")
             and tokens[j].feats.get("Case", case) == case]
    return subject_at(doc, phrase[phrase.index(heads[0]):], heads[0]) if heads else None


def subject_at(doc: IndexedDocument, phrase: list[int], head: int) -> Entity | None:
    """The entity a subject phrase names.  A person counts when the name is the head or agrees with it in
    case ("министр Иван Петров"); in "адвокат Ивана Петрова" the genitive name is someone else."""
    tokens = doc.tokens
    start, end = tokens[phrase[0]].start, tokens[phrase[-1]].end
    word = tokens[head]
    overlapping = sorted(((e, m) for e in doc.entities if e.type == "PER" for m in e.mentions
                          if m.start < end and start < m.end), key=lambda em: em[1].start)
    for entity, mention in overlapping:
        if mention.start <= word.start < mention.end or word.feats.get("Case") in cases_of(doc, mention):
            return entity
    if word.pos == "PRON":
        if word.lemma in ("он", "она"):
            return antecedent(doc, word.start, "Fem" if word.lemma == "она" else "Masc")
        return addressee(doc, word.start) if word.lemma == "вы" else None
    if word.lemma in TITLE_HEADS:
        # "представителей Роскосмоса" are several people: no single holder speaks for them.
        return resolve_role(doc, word, phrase) if word.feats.get("Number") != "Plur" else None
    orgs = [e for e in doc.entities
            if e.type == "ORG" and any(m.start <= word.start < m.end for m in e.mentions)]
    return orgs[0] if orgs else None


def cases_of(doc: IndexedDocument, mention: Mention) -> set[str | None]:
    i = token_at(doc, mention.start)
    return {t.feats.get("Case") for t in doc.tokens[i:i + 6] if t.end <= mention.end} if i is not None else set()


def noun_phrase_left(doc: IndexedDocument, j: int) -> list[int]:
    """Token indices of the noun phrase ending at ``j`` (at most five words, no punctuation)."""
    phrase = [j]
    k = j
    while len(phrase) < 5:
        k = previous_word(doc, k)
        if k is None or doc.tokens[k].pos not in ("NOUN", "PROPN", "ADJ", "DET"):
            break
        phrase.insert(0, k)
    return phrase


def resolve_role(doc: IndexedDocument, title: Token, phrase: list[int]) -> Entity | None:
    """A title standing for a person the text names elsewhere.  The entity resolution ties most of these
    ("глава государства" -> the president) by adding a mention; this handles what it left: the holders are
    persons named right after the same title word, and the most mentioned of them wins when clearly ahead."""
    words = {doc.tokens[j].lemma for j in phrase}
    lemmas = HEAD_OF_STATE if title.lemma == "глава" and "государство" in words else {title.lemma}
    holders = [e for e in doc.entities if e.type == "PER" and holds_title(doc, e, lemmas)]
    return most_salient(doc, holders)


def holds_title(doc: IndexedDocument, entity: Entity, lemmas: set[str] | frozenset[str]) -> bool:
    """Whether the entity's roles, or a title word inside or right before a mention and agreeing with it in
    case ("Президента Казахстана Касым-Жомарта Токаева"), name one of ``lemmas``."""
    mention_cases = set().union(*(cases_of(doc, m) for m in entity.mentions)) if entity.mentions else set()
    for role in entity.roles:
        # A title in apposition agrees with the name; "Адвокат Ивана Петрова" (nominative + genitive) is
        # someone else's title, whatever an earlier stage attached.
        if role.title and title_head(role.title) in lemmas and role_case(doc, role) & mention_cases:
            return True
    for mention in entity.mentions:
        i = token_at(doc, mention.start)
        if i is None:
            continue
        if any(t.lemma in lemmas for t in doc.tokens[i:i + 4] if t.end <= mention.end):
            return True
        cases = cases_of(doc, mention)
        if any(t.lemma in lemmas and t.feats.get("Case") in cases for t in doc.tokens[max(0, i - 3):i]):
            return True
    return False


def role_case(doc: IndexedDocument, role) -> set[str | None]:
    i = token_at(doc, role.start)
    return {t.feats.get("Case") for t in doc.tokens[i:i + 8] if t.end <= role.end} if i is not None else set()


def title_head(title: str) -> str:
    """The head noun of a nominative title: the first word that is not an adjective ("первый заместитель
    госсекретаря" -> "заместитель")."""
    words = title.lower().split()
    return next((w for w in words if not w.endswith(("ый", "ий", "ой", "ая", "яя"))), words[0] if words else "")


def most_salient(doc: IndexedDocument, holders: list[Entity]) -> Entity | None:
    """The holder mentioned clearly most often (counting every entity sharing its surname, so a person the
    resolution has not yet merged is still counted whole); None when two are close."""
    if not holders:
        return None
    if len(holders) == 1:
        return holders[0]

    def weight(entity: Entity) -> int:
        surname = entity.name.split()[-1].lower()
        return sum(len(e.mentions) for e in doc.entities
                   if e.type == "PER" and e.name.split()[-1].lower() == surname)

    ranked = sorted(holders, key=weight, reverse=True)
    top, second = weight(ranked[0]), weight(ranked[1])
    same_person = ranked[0].name.split()[-1].lower() == ranked[1].name.split()[-1].lower()
    return ranked[0] if same_person or top >= 2 * second else None


def antecedent(doc: IndexedDocument, offset: int, gender: str | None = None) -> Entity | None:
    """The last person named before ``offset`` (within a few sentences), outside quotation marks (in
    "«…такой человек, как Берлускони…», — заявил он" the "он" is not the man inside the quote), and of the
    pronoun's gender when the name shows one ("она" is not "Виктора")."""
    n = bisect_right(doc.sentence_starts, offset) - 1
    window = doc.sentences[max(0, n - 3)].start if n >= 0 else 0
    window = min([window] + [qs for qs, qe in doc.quoted if qs <= window < qe]) - 1
    # Inside an answer the interviewee says "я": "он" is someone else.
    speaker = next((t.speaker for t in doc.turns if t.role == "answer" and t.start <= offset < t.end), None)
    people = [(entity, mention) for entity, mention in mentions_in(doc, max(0, window), offset, ("PER",))
              if entity.id != speaker and not any(qs <= mention.start < qe for qs, qe in doc.quoted)]
    # Gender is a preference, not a filter: the tagger guesses it for foreign names ("Аун Сан Су Чжи").
    agreeing = [e for e, m in people if gender is None or gender_of(doc, m) in (None, gender)]
    return agreeing[-1] if agreeing else (people[-1][0] if people else None)


def gender_of(doc: IndexedDocument, mention: Mention) -> str | None:
    """The grammatical gender the tagger gives the name's words, if they agree on one."""
    i = token_at(doc, mention.start)
    genders = {t.feats.get("Gender") for t in doc.tokens[i:i + 4] if t.end <= mention.end} if i is not None else set()
    genders.discard(None)
    return genders.pop() if len(genders) == 1 else None


def addressee(doc: IndexedDocument, offset: int) -> Entity | None:
    """"Вы говорили, что …" in a question: the person who answers it."""
    turns = doc.turns
    for n, turn in enumerate(turns):
        if turn.role == "question" and turn.start <= offset < turn.end:
            answer = next((t for t in turns[n + 1:] if t.role == "answer"), None)
            speaker = answer.speaker if answer else None
            return next((e for e in doc.entities if e.id == speaker), None)
    return None


# --- token helpers -----------------------------------------------------------------------------------------

def is_speech_word(token: Token) -> bool:
    if token.pos in ("VERB", "AUX") and token.lemma.replace("ё", "е") in SPEECH_VERBS:
        return token.feats.get("VerbForm", "Fin") == "Fin"
    return token.pos == "ADJ" and token.feats.get("Variant") == "Short" and token.lemma in SPEECH_ADJECTIVES


def negated(doc: IndexedDocument, i: int) -> bool:
    j = previous_word(doc, i)
    return j is not None and doc.tokens[j].lemma in _NEGATION


def previous_word(doc: IndexedDocument, i: int) -> int | None:
    """The index of the token before ``i`` in the same sentence, or None at the sentence start."""
    if i == 0:
        return None
    if sentence_start(doc, doc.tokens[i].start) > doc.tokens[i - 1].start:
        return None
    return i - 1


def token_at(doc: IndexedDocument, offset: int) -> int | None:
    """The index of the first token ending after ``offset``."""
    i = bisect_right(doc.token_ends, offset)
    return i if i < len(doc.tokens) else None


def sentence_start(doc: IndexedDocument, offset: int) -> int:
    n = bisect_right(doc.sentence_starts, offset) - 1
    return doc.sentences[n].start if n >= 0 else 0


def make_quotes_stage() -> Stage:
    from .pipeline import Stage
    return Stage("quotes", extract_quotes, requires=("text", "sentences", "tokens", "entities", "turns"),
                 assigns=("quotes",))
