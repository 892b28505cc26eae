"""Interview structure: is the text an interview, its turns, and who is interviewed.

Russian outlets mark turns in three ways, all handled here: a dash opening each turn ("–", "—", "-"),
"Вопрос:"/"Ответ:" labels, and speaker labels ("А.П.:", "Корр.:", "Иван Петров:"); a fourth, questions set
in bold, loses its mark with the HTML and is recognised from question marks after a lead announcing an
interview.  Questions are told from answers by label, else by alternation (the interviewer asks first).
Paragraphs without a marker continue the current turn; after the last answer they may instead be the outlet's
closing (see ``split_closing`` and ``split_named_closing``).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .model import Document, Entity, Interviewee, Mention, Token, Turn

if TYPE_CHECKING:
    from .pipeline import Stage

_DASH = re.compile(r"[–—-]\s+")
_QA_LABEL = re.compile(r"(?P<label>Вопрос|Ответ|В|О)\s*:\s*", re.IGNORECASE)
# A speaker label: one to three capitalised words or initials, then a colon ("А.П.:", "Корр.:", "Иван Петров:",
# an outlet's name in quotation marks: "«Вестник»:").
_SPEAKER_LABEL = re.compile(r"(?P<label>[«\"]?(?:[А-ЯЁA-Z][а-яёa-z]*\.?(?:\s|-)?){1,3}?[»\"]?)\s*:\s+(?=\S)")
# Labels an outlet gives its own journalist; the other labels belong to interviewees.
_INTERVIEWER_LABELS = {"корр", "корр.", "корреспондент", "журналист", "ведущий", "ведущая", "интервьюер",
                       "редакция", "вопрос", "в"}
# "— Мы готовы, — заявил Петров." is a quotation in an article, not an interview turn.
_ATTRIBUTED = re.compile(r"[,.!?…]\s*[–—-]\s+[а-яё]", re.IGNORECASE)
# First and second person words: a paragraph with them speaks to or as someone, so it is not the outlet's
# closing summary.  The outlet's "мы" ("мы поговорили") appears in leads, not after the last answer.
_PERSONAL = re.compile(r"\b(я|меня|мне|мной|мой|моя|моё|мое|мои|моих|моим|мы|нас|нам|нами|наш\w*|по-моему|"
                       r"вы|вас|вам|ваш\w*)\b", re.IGNORECASE)
# Phrases outlets use to step back in after an interview.
_CLOSING_CUES = re.compile(r"^(напомним|ранее|как сообщалось|отметим|беседовал|беседовала|интервью взял|"
                           r"вопросы задавал|записал|подготовил|справка|досье)\b", re.IGNORECASE)
_INTERVIEWER_CREDIT = re.compile(r"^(беседовал[аи]?|интервью (взял[аи]?|записал[аи]?)|вопросы задавал[аи]?|"
                                 r"записал[аи]?|подготовил[аи]?)\b", re.IGNORECASE)
# An anaphoric opener ("Такой визит…", "При этом…") continues the previous speaker's thought.
_ANAPHORIC = re.compile(r"^(так\w*|это\w*|эт[аио]\w*|при этом|поэтому|более того|кроме того|впрочем|"
                        r"однако|но|и|а|то есть|в то же время|вместе с тем|тем не менее)\b", re.IGNORECASE)
_MIN_DASH_TURNS = 4   # two question/answer pairs: fewer dashes are too often quotations
_MIN_UNMARKED_QUESTIONS = 3
_MAX_QUESTION_CHARS = 400   # a question is a sentence or three; a longer paragraph ending in "?" is prose
# A lead announcing an interview: "в интервью", "побеседовали", "рассказал(а) нашему изданию", "ответил на вопросы".
_INTERVIEW_ANNOUNCED = re.compile(r"интервью|бесед\w*|поговорил\w*|пообщал\w*|ответил\w* на вопрос|"
                                  r"рассказал\w* (нашему|нам|корреспондент|журналист|изданию|редакции)|"
                                  r"рассказывает|собеседник", re.IGNORECASE)


@dataclass(slots=True)
class Paragraph:
    """A non-empty line of the text and the turn marker it opens with."""
    start: int
    end: int
    body: int          # offset after the turn marker (== start when unmarked)
    marker: str        # "dash" | "qa" | "label" | "ask"/"reply" (unmarked questions) | ""
    label: str = ""    # the normalised label for "qa"/"label" markers
    text: str = ""


@dataclass(slots=True)
class Structure:
    """The named result of ``detect_structure``: the turns and which label speaks for whom."""
    kind: str
    turns: list[Turn]
    labels: dict[int, str]   # index into turns -> speaker label (label-marked interviews only)


def split_paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines with their turn marker, if any."""
    paragraphs = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        lead = len(line) - len(line.lstrip())
        start, end = match.start() + lead, match.start() + len(line.rstrip())
        if end > start:
            paragraphs.append(mark_paragraph(text, start, end))
    return paragraphs


def mark_paragraph(text: str, start: int, end: int) -> Paragraph:
    line = text[start:end]
    if (m := _DASH.match(line)) and not _ATTRIBUTED.search(line):
        return Paragraph(start, end, start + m.end(), "dash", "", line)
    if m := _QA_LABEL.match(line):
        label = "вопрос" if m.group("label").lower() in ("вопрос", "в") else "ответ"
        return Paragraph(start, end, start + m.end(), "qa", label, line)
    if (m := _SPEAKER_LABEL.match(line)) and len(m.group("label").split()) <= 3:
        return Paragraph(start, end, start + m.end(), "label", m.group("label").strip().lower(), line)
    return Paragraph(start, end, start, "", "", line)


def detect_structure(text: str, title: str | None = None) -> Structure:
    """Decide interview or article and cut the text into turns (the title may announce an interview)."""
    paragraphs = split_paragraphs(text)
    qa = {p.label for p in paragraphs if p.marker == "qa"}
    if qa == {"вопрос", "ответ"}:
        return build_turns(paragraphs, {"qa"}, lambda p: "question" if p.label == "вопрос" else "answer")
    speakers = speaker_labels(paragraphs)
    if len(speakers) >= 2:
        interviewer = pick_interviewer_label(paragraphs, speakers)
        return build_turns([p if p.label in speakers else _unmarked(p) for p in paragraphs], {"label"},
                           lambda p: "question" if p.label == interviewer else "answer")
    dashes = [p for p in paragraphs if p.marker == "dash"]
    asking = sum("?" in p.text for p in dashes)
    if len(dashes) >= _MIN_DASH_TURNS and asking >= 2:
        return build_turns(paragraphs, {"dash"}, None)
    unmarked_questions = mark_unmarked_questions(paragraphs, title or "")
    if unmarked_questions is not None:
        return build_turns(unmarked_questions, {"ask", "reply"},
                           lambda p: "question" if p.marker == "ask" else "answer")
    return Structure("article", [], {})


def mark_unmarked_questions(paragraphs: list[Paragraph], title: str = "") -> list[Paragraph] | None:
    """Interviews whose questions were set in bold, a mark lost with the HTML: short paragraphs ending with
    "?", each followed by an answer paragraph, after a lead that announces an interview.  Rhetorical
    questions in an article rarely come three times with such a lead, so both are required."""
    asks = [i for i, p in enumerate(paragraphs[:-1]) if not p.marker and p.text.endswith("?")
            and len(p.text) <= _MAX_QUESTION_CHARS and not paragraphs[i + 1].text.endswith("?")]
    if len(asks) < _MIN_UNMARKED_QUESTIONS or asks[0] == 0:
        return None
    lead = " ".join([title] + [p.text for p in paragraphs[:asks[0]]])
    if not _INTERVIEW_ANNOUNCED.search(lead):
        return None
    out = list(paragraphs)
    for i in asks:
        out[i] = Paragraph(out[i].start, out[i].end, out[i].start, "ask", "", out[i].text)
        out[i + 1] = Paragraph(out[i + 1].start, out[i + 1].end, out[i + 1].start, "reply", "", out[i + 1].text)
    return out


def _unmarked(p: Paragraph) -> Paragraph:
    return Paragraph(p.start, p.end, p.start, "", "", p.text)


def speaker_labels(paragraphs: list[Paragraph]) -> set[str]:
    """Labels that open at least two paragraphs: a one-off "Итог: …" is not a speaker."""
    counts: dict[str, int] = {}
    for p in paragraphs:
        if p.marker == "label":
            counts[p.label] = counts.get(p.label, 0) + 1
    return {label for label, n in counts.items() if n >= 2}


def is_interviewer_label(label: str) -> bool:
    return label.rstrip(".") in _INTERVIEWER_LABELS or label in _INTERVIEWER_LABELS


def pick_interviewer_label(paragraphs: list[Paragraph], speakers: set[str]) -> str:
    """The journalist's label by name ("Корр."), else the label that speaks first."""
    for label in speakers:
        if is_interviewer_label(label):
            return label
    order = [p.label for p in paragraphs if p.label in speakers]
    return order[0]


Group = tuple[str, list[Paragraph], str]   # (role, paragraphs, speaker label)


def build_turns(paragraphs: list[Paragraph], markers: set[str],
                role_of: Callable[[Paragraph], str] | None) -> Structure:
    """Group paragraphs into turns; ``role_of`` names a marked paragraph's role (None: alternate Q/A)."""
    marked = [i for i, p in enumerate(paragraphs) if p.marker in markers]
    first = marked[0]
    roles = [role_of(paragraphs[i]) for i in marked] if role_of else dash_roles([paragraphs[i] for i in marked])
    groups: list[Group] = []
    for n, i in enumerate(marked):
        nxt = marked[n + 1] if n + 1 < len(marked) else len(paragraphs)
        if groups and not role_of and groups[-1][0] == roles[n]:
            groups[-1][1].extend(paragraphs[i:nxt])   # a dashed paragraph continuing the same speaker
        else:
            groups.append((roles[n], list(paragraphs[i:nxt]), paragraphs[i].label))
    answers = [g for g in groups if g[0] == "answer"]
    if not answers or not any(g[0] == "question" for g in groups):
        return Structure("article", [], {})
    last = max(n for n, g in enumerate(groups) if g[0] == "answer")
    if last + 1 < len(groups):
        # The journalist has the last word ("Спасибо за интервью!"): what follows it is the outlet's text.
        role, paras, label = groups[-1]
        groups[-1], closing = (role, paras[:1], label), paras[1:]
    else:
        role, paras, label = groups[last]
        body, closing = split_closing(paras, groups[:last])
        groups[last] = (role, body, label)
    turns: list[Turn] = []
    labels: dict[int, str] = {}
    if first > 0:
        turns.append(Turn("lead", None, paragraphs[0].start, paragraphs[first - 1].end))
    for role, paras, label in groups:
        if label and markers != {"qa"}:
            labels[len(turns)] = label
        turns.append(Turn(role, None, paras[0].start, paras[-1].end))
    if closing:
        turns.append(Turn("closing", None, closing[0].start, closing[-1].end))
    return Structure("interview", turns, labels)


# Viterbi scores for dash_roles.  A question ends with "?" (some are requests: "Расскажите о …"), answers
# rarely do; a speaker keeping the floor for a second dashed paragraph is possible but costs as much as two
# question marks, so plain alternation wins unless the marks clearly disagree with it.
_SAME_SPEAKER_AGAIN = -2.0


def _role_score(role: str, text: str) -> float:
    asks = text.rstrip().endswith("?")
    if role == "question":
        return (1.5 if asks else 0.3 if "?" in text else -1.0) + (0.3 if len(text) < 300 else -0.3)
    return -1.0 if asks else 0.3


def dash_roles(paragraphs: list[Paragraph]) -> list[str]:
    """Question/answer roles of dash-opened paragraphs: alternation starting with a question, corrected by
    question marks (Viterbi over the two roles), so one extra dashed paragraph inside an answer does not flip
    every later turn."""
    states = ("question", "answer")
    best = {"question": (_role_score("question", paragraphs[0].text), ["question"]),
            "answer": (float("-inf"), ["answer"])}
    for p in paragraphs[1:]:
        step = {}
        for role in states:
            score, path = max(((best[r][0] + (_SAME_SPEAKER_AGAIN if r == role else 0.0), best[r][1])
                               for r in states), key=lambda sp: sp[0])
            step[role] = (score + _role_score(role, p.text), path + [role])
        best = step
    return max(best.values(), key=lambda sp: sp[0])[1]


def split_closing(paras: list[Paragraph], earlier: list[Group]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Split the last answer's paragraphs into the answer and the outlet's closing.

    Unmarked paragraphs after the last answer continue it when the interview's earlier answers also ran over
    several paragraphs, and are the outlet's closing when every earlier answer was a single paragraph.  Words
    override that prior: first/second person ("я", "мы", "вы") or an anaphoric opener keep a paragraph in the
    answer; "Напомним", "Беседовал…" and the like start the closing.
    """
    answers = [g for g in earlier if g[0] == "answer"]
    continued = sum(len(g[1]) > 1 for g in answers)
    prior_closing = bool(answers) and continued == 0
    for n, p in enumerate(paras[1:], 1):
        line = p.text
        if _CLOSING_CUES.match(line):
            return paras[:n], paras[n:]
        if _PERSONAL.search(line):
            continue
        if prior_closing and not _ANAPHORIC.match(line):
            return paras[:n], paras[n:]
    return paras, []


# --- interviewees -------------------------------------------------------------------------------------------

# Lemmas that introduce the interviewee in a lead.  "with" cues take "с + instrumental" ("мы поговорили с X"),
# "subject" cues take the nominative ("рассказывает X", "X ответил на вопросы").
_WITH_CUES = {"поговорить", "побеседовать", "беседовать", "беседа", "интервью", "разговор", "пообщаться",
              "общаться", "говорить"}
_SUBJECT_CUES = {"рассказывать", "рассказать", "ответить", "отвечать", "поделиться", "делиться", "объяснять",
                 "объяснить", "комментировать", "прокомментировать", "дать", "давать", "размышлять",
                 "рассуждать", "оценивать", "оценить", "считать", "говорить", "интервью", "собеседник",
                 "гость", "высказаться"}
_INTERVIEW_NOUNS = {"интервью", "беседа", "разговор"}
# A description after the name ends where a new clause begins.
_CLAUSE_WORDS = {"который", "которая", "которое", "которые", "что", "чтобы", "и", "а", "но", "где", "когда"}
_OUTLET_VOICE = re.compile(r"\b(мы|нам|нашему|нашей|нашим|редакци\w*|корреспондент\w*|журналист\w*)\b",
                           re.IGNORECASE)
_ADDRESS_WORDS = {"господин", "госпожа", "уважаемый", "уважаемая"}


@dataclass(slots=True)
class Candidate:
    entity: Entity
    score: float
    description: str | None


def find_interviewees(doc: Document, lead: Turn | None, questions: list[Turn]) -> list[Candidate]:
    """Who the interview is with: the lead's introduction, the title, and how the questions address them."""
    found: dict[str, Candidate] = {}

    def vote(entity: Entity, score: float, description: str | None = None) -> None:
        cand = found.setdefault(entity.id, Candidate(entity, 0.0, None))
        cand.score += score
        cand.description = cand.description or description

    if lead is not None:
        last_sentence = max((s.start for s in doc.sentences if s.end <= lead.end), default=0)
        for entity, mention, description in introduced_people(doc, lead):
            # The introduction usually closes the lead, comes with a description and is in the outlet's
            # voice ("мы поговорили"); an earlier "разговор Токаева с Трампом" is news, not the interview.
            bonus = (mention.start >= last_sentence) + (description is not None) + bool(
                _OUTLET_VOICE.search(sentence_around(doc, mention.start)))
            vote(entity, 3.0 + bonus, description)
    for entity in people_in_title(doc):
        vote(entity, 2.0)
    for turn in questions:
        if (entity := addressed_person(doc, turn)) is not None:
            vote(entity, 1.5)
    if not found and lead is not None:
        # No cue anywhere: a lead that names one person only ("Иван Петров — о выборах") names the interviewee.
        people = {e.id: e for e, _ in mentions_in(doc, lead.start, lead.end)}
        if len(people) == 1:
            vote(next(iter(people.values())), 0.5)
    # An interviewee speaks in the first person; a person the answers talk about is someone else.
    answers = [t for t in doc.turns if t.role == "answer"]
    for cand in found.values():
        if any(mentions_in_entity(cand.entity, t.start, t.end) for t in answers):
            cand.score -= 1.0
    return sorted(found.values(), key=lambda c: -c.score)


def mentions_in_entity(entity: Entity, start: int, end: int) -> list[Mention]:
    return [m for m in entity.mentions if start <= m.start and m.end <= end]


def sentence_around(doc: Document, offset: int) -> str:
    for sent in doc.sentences:
        if sent.start <= offset < sent.end:
            return doc.text[sent.start:sent.end]
    return ""


def introduced_people(doc: Document, lead: Turn) -> list[tuple[Entity, Mention, str | None]]:
    """People a lead sentence introduces with a cue ("мы поговорили с X", "рассказывает X") in the right case."""
    out = []
    for sent in doc.sentences:
        if sent.start < lead.start or sent.end > lead.end:
            continue
        tokens = tokens_in(doc, sent.start, sent.end)
        lemmas = {t.lemma for t in tokens}
        with_cue, subject_cue = lemmas & _WITH_CUES, lemmas & _SUBJECT_CUES
        for entity, mention in mentions_in(doc, sent.start, sent.end):
            case = mention_cases(doc, mention)
            before = tokens_before(tokens, mention.start, 6)
            after_with = with_cue and "Ins" in case and any(t.lemma in ("с", "со") for t in before)
            after_noun = before and before[-1].lemma in _INTERVIEW_NOUNS and "Gen" in case
            if after_with or after_noun or (subject_cue and "Nom" in case):
                out.append((entity, mention, describe(doc, tokens, mention)))
    return out


def people_in_title(doc: Document) -> list[Entity]:
    """Persons of the document named in the title ("Иван Петров: «…»", "Иван Петров — о выборах")."""
    if not doc.title:
        return []
    words = set(re.findall(r"[а-яёa-z-]+", doc.title.lower()))
    found = []
    for entity in persons(doc):
        surname = entity.name.split()[-1].lower()
        # Inflected in the title ("Ивану Петрову") or not; a short name ("Ли") must match whole.
        stem = surname[:len(surname) - 2] if len(surname) > 4 else surname
        if any(w.startswith(stem) if len(surname) > 4 else w == stem for w in words):
            found.append(entity)
    return found


def addressed_person(doc: Document, turn: Turn) -> Entity | None:
    """The person a question opens by addressing: "Байкадам, как вы…", "Господин Ли, …"."""
    tokens = [t for t in tokens_in(doc, turn.start, turn.end) if t.pos != "PUNCT" or t.text == ","][:5]
    while tokens and tokens[0].lemma in _ADDRESS_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return None
    for entity, mention in mentions_in(doc, tokens[0].start, tokens[-1].end):
        if mention.start == tokens[0].start:
            rest = doc.text[mention.end:mention.end + 2].lstrip()
            return entity if rest.startswith(",") else None
    return None


def describe(doc: Document, tokens: list[Token], mention: Mention) -> str | None:
    """The description around the name: the apposition before it ("дипломат и эксперт … X") and/or after it
    ("X, экспертом по …, базирующимся в …").  Its head phrase is put in the nominative ("эксперт …,
    базирующийся в …"), the way a reader would quote it; every other word stays as the outlet wrote it."""
    spans = [sp for sp in (describe_before(tokens, mention), describe_after(tokens, mention)) if sp]
    parts = [nominative_phrase(doc, [t for t in tokens if a <= t.start and t.end <= b], a, b) for a, b in spans]
    if not parts:
        return None
    first = next(t for t in tokens if t.start == spans[0][0])
    # "Генеральный директор компании Аркадий Мельников ответил…": the capital belongs to the sentence.
    text = ", ".join(parts)
    return text if first.pos == "PROPN" else text[:1].lower() + text[1:]


def describe_before(tokens: list[Token], mention: Mention) -> tuple[int, int] | None:
    case = {t.feats.get("Case") for t in tokens if mention.start <= t.start < mention.end}
    window: list[Token] = []
    for t in reversed([t for t in tokens if t.end <= mention.start]):
        if t.pos in ("PUNCT", "VERB", "AUX", "PRON", "SCONJ") or t.lemma in _WITH_CUES | _SUBJECT_CUES:
            break
        if t.pos == "PROPN" and t.feats.get("Animacy") == "Anim":
            break   # another person's name: "с экономистом Иваном Петровым и социологом X"
        window.insert(0, t)
    if window and window[0].lemma in ("с", "со"):
        window = window[1:]   # "поговорили с экономистом X": the cue's preposition governs name and title
    # The description is a noun phrase in the name's case (apposition), not a preposition's object.
    for n, t in enumerate(window):
        if t.pos in ("NOUN", "ADJ") and t.feats.get("Case") in case and (n == 0 or window[n - 1].pos != "ADP"):
            if t.pos == "NOUN" or any(u.pos == "NOUN" for u in window[n:]):
                return (t.start, window[-1].end) if t.text[:1].islower() or n == 0 else None
    return None


def describe_after(tokens: list[Token], mention: Mention) -> tuple[int, int] | None:
    rest = [t for t in tokens if t.start >= mention.end]
    # "X, экспертом по …" or "X — политолог, …"; "X — о выборах" is a title's topic, not a description.
    if len(rest) < 2 or rest[0].text not in (",", "—", "–") or rest[1].pos not in ("NOUN", "ADJ"):
        return None
    end = rest[1].end
    for prev, t in zip(rest[1:], rest[2:]):
        if t.text in (";", "—", "–", "(", ")") or (t.pos == "PUNCT" and t.text in ".!?"):
            break
        if prev.text == "," and (t.lemma in _CLAUSE_WORDS or t.feats.get("VerbForm") == "Fin"):
            break
        if t.pos != "PUNCT":
            end = t.end
    return rest[1].start, end


_OC_CASE = {"Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


def nominative_phrase(doc: Document, tokens: list[Token], start: int, end: int) -> str:
    """``doc.text[start:end]`` with the head words in the nominative: the leading adjectives and noun
    ("главным архитектором"), nouns coordinated with it ("и основателем") and participles after a comma
    agreeing with it (", базирующимся в …").  Words governed by a preposition keep their case."""
    case = next((t.feats.get("Case") for t in tokens if t.pos == "NOUN"), None)
    if case not in _OC_CASE:
        return doc.text[start:end]
    out, last, in_head, prev = [], start, True, None
    for t in tokens:
        joins = prev is not None and prev.text in (",", "и")
        # After a comma the tagger may read a participle as agreeing with the nearer noun ("фонда, живущей"):
        # a participle there is inflected if it can be in the head's case.
        participle = prev is not None and prev.text == "," and (t.feats.get("VerbForm") == "Part" or t.pos == "ADJ")
        if participle or (t.feats.get("Case") == case and t.pos in ("NOUN", "ADJ", "DET", "VERB")
                          and (in_head or joins)):
            out += [doc.text[last:t.start], inflect_nominative(t, case)]
            last = t.end
            in_head = t.pos != "NOUN"
        elif t.pos not in ("ADJ", "DET"):
            in_head = False
        prev = t
    return "".join(out) + doc.text[last:end]


def inflect_nominative(token: Token, case: str) -> str:
    from .gazetteer import load_morph
    for parse in load_morph().parse(token.text):
        if _OC_CASE[case] in parse.tag and (form := parse.inflect({"nomn"})):
            word = form.word
            return word[:1].upper() + word[1:] if token.text[:1].isupper() else word
    return token.text


# --- token and mention helpers --------------------------------------------------------------------------

def tokens_in(doc: Document, start: int, end: int) -> list[Token]:
    """Tokens lying inside [start, end)."""
    i = bisect_left([t.start for t in doc.tokens], start)
    out = []
    while i < len(doc.tokens) and doc.tokens[i].end <= end:
        out.append(doc.tokens[i])
        i += 1
    return out


def tokens_before(tokens: list[Token], offset: int, n: int) -> list[Token]:
    return [t for t in tokens if t.end <= offset][-n:]


def mentions_in(doc: Document, start: int, end: int, types: tuple[str, ...] = ("PER",)
                ) -> list[tuple[Entity, Mention]]:
    """(entity, mention) pairs of the given types inside [start, end), in text order."""
    found = [(e, m) for e in doc.entities if e.type in types for m in e.mentions
             if start <= m.start and m.end <= end]
    return sorted(found, key=lambda em: em[1].start)


def mention_cases(doc: Document, mention: Mention) -> set[str]:
    return {t.feats.get("Case", "") for t in tokens_in(doc, mention.start, mention.end)}


def persons(doc: Document) -> list[Entity]:
    return [e for e in doc.entities if e.type == "PER"]


# --- speakers -----------------------------------------------------------------------------------------------

def match_label(doc: Document, label: str) -> Entity | None:
    """The person a speaker label names: initials ("а.п."), a surname or a full name."""
    letters = re.sub(r"[^а-яёa-z]", "", label)
    words = re.findall(r"[а-яёa-z]{2,}", label)
    for entity in persons(doc):
        parts = entity.name.lower().split()
        if "." in label and len(letters) == len(parts) and all(p.startswith(c) for p, c in zip(parts, letters)):
            return entity
        if words and any(p[:max(3, len(p) - 2)] == w[:max(3, len(p) - 2)] for p in parts for w in words
                         if len(w) >= 3):
            return entity
    return None


def find_interviewer(doc: Document, turns: list[Turn]) -> Entity | None:
    """The journalist credited in the closing or lead: "Беседовала Анна Смирнова"."""
    for turn in turns:
        if turn.role not in ("lead", "closing"):
            continue
        for line in re.finditer(r"[^\n]+", doc.text[turn.start:turn.end]):
            if _INTERVIEWER_CREDIT.match(line.group()):
                start = turn.start + line.start()
                people = mentions_in(doc, start, start + len(line.group()))
                if people:
                    return people[0][0]
    return None


def assign_speakers(doc: Document, structure: Structure, interviewees: list[Candidate]) -> list[Interviewee]:
    """Put speaker ids on the turns and return the document's interviewees."""
    interviewer = find_interviewer(doc, structure.turns)
    answer_labels = {structure.labels[n] for n, t in enumerate(structure.turns)
                     if t.role == "answer" and n in structure.labels}
    chosen: dict[str, Candidate] = {}
    for n, turn in enumerate(structure.turns):
        label = structure.labels.get(n)
        if turn.role == "question":
            named = match_label(doc, label) if label and not is_interviewer_label(label) else None
            turn.speaker = (named or interviewer).id if (named or interviewer) else None
        elif turn.role == "answer":
            cand = answer_candidate(doc, label, answer_labels, interviewees)
            if cand is not None:
                turn.speaker = cand.entity.id
                chosen.setdefault(cand.entity.id, cand)
    return [Interviewee(c.entity.id, c.description) for c in chosen.values()]


def answer_candidate(doc: Document, label: str | None, answer_labels: set[str],
                     interviewees: list[Candidate]) -> Candidate | None:
    """Who gives an answer: the person its label names, else (one interviewee only) the one the lead
    introduces."""
    if label is None or len(answer_labels) == 1:
        entity = match_label(doc, label) if label else None
        if entity is None:
            return interviewees[0] if interviewees else None
    else:
        entity = match_label(doc, label)
        if entity is None:
            return None
    known = next((c for c in interviewees if c.entity.id == entity.id), None)
    return known or Candidate(entity, 0.0, None)


def mark_interview(doc: Document) -> Document:
    """The interview stage: kind, turns with speakers, interviewees."""
    structure = detect_structure(doc.text, doc.title)
    doc.kind = structure.kind
    doc.turns = structure.turns  # set before choosing interviewees, which look at the answers
    if structure.kind != "interview":
        doc.interviewees = []
        return doc
    lead = next((t for t in structure.turns if t.role == "lead"), None)
    questions = [t for t in structure.turns if t.role == "question"]
    candidates = find_interviewees(doc, lead, questions)
    if candidates and not structure.labels:
        structure.turns = split_named_closing(doc, structure.turns, candidates[0].entity)
        doc.turns = structure.turns
    doc.interviewees = assign_speakers(doc, structure, candidates)
    return doc


def split_named_closing(doc: Document, turns: list[Turn], person: Entity) -> list[Turn]:
    """An interviewee does not name themselves: a paragraph after the first of the last answer that names
    them in the third person ("Книга Льва Гордеева выйдет в декабре") starts the outlet's closing."""
    last = max(n for n, t in enumerate(turns) if t.role == "answer")
    answer, tail = turns[last], turns[last + 1:]
    if any(t.role != "closing" for t in tail):
        return turns
    for para in split_paragraphs(doc.text[answer.start:answer.end])[1:]:
        start = answer.start + para.start
        if mentions_in_entity(person, start, answer.start + para.end):
            end = tail[-1].end if tail else answer.end
            answer.end = len(doc.text[:start].rstrip())
            return turns[:last + 1] + [Turn("closing", None, start, end)]
    return turns


def make_interview_stage() -> Stage:
    from .pipeline import Stage
    return Stage("interview", mark_interview, requires=("text", "sentences", "tokens", "entities"),
                 assigns=("kind", "turns", "interviewees"))
