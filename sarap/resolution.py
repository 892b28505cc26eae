"""Entity resolution inside one document: repaired NER spans -> one entity per real thing.

People are grouped by their name words (natasha's normal form and the words as written, so inflected forms,
a surname alone, a first name alone and indeclinable names all meet); places and bodies by canonical name.
Role references ("глава государства", "наш президент", "спецпредставитель") become mentions of the person
holding that role once roles are known: ``link_role_references``, run by the roles stage.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, Place, fold_key, load_gazetteer, parse_word
from .model import Document, Entity, Mention, NerSpan, Role, Token

# Head nouns after which a place adjective says a language or an origin, not the place ("английский язык",
# "американского происхождения"): NEREL train leaves these unmarked.
NOT_PLACE_HEADS = {"язык", "происхождение", "национальность", "акцент", "кухня", "литература"}
# Professions that serve a state: "российские дипломаты" are Russia's (NEREL marks the adjective), while
# "американский актёр" only says the actor's nationality.
STATE_PROFESSIONS = {"дипломат", "дипломатка", "космонавт", "астронавт", "политик", "полицейский", "судья",
                     "прокурор", "генпрокурор", "следователь"}


@dataclass(slots=True)
class Cluster:
    """The spans of one entity while it is being built; ``keys`` are a person's known name words."""
    type: str
    spans: list[NerSpan] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    adjectives: list[Mention] = field(default_factory=list)  # "российских" of Россия
    place: Place | None = None  # the gazetteer place of a cluster found by its adjectives

    def add(self, span: NerSpan) -> None:
        self.spans.append(span)
        if self.type == "PER":
            self.keys |= name_words(span)


def name_words(span: NerSpan) -> set[str]:
    return {fold_key(w) for w in span.normal.split() + span.text.split()}


def resolve_entities(doc: Document) -> Document:
    clusters = cluster_people([s for s in doc.ner_spans if s.type == "PER"], doc.tokens)
    clusters += join_nominals(cluster_by_name([s for s in doc.ner_spans if s.type != "PER"]), load_gazetteer())
    add_adjective_mentions(doc, clusters, load_gazetteer())
    doc.entities = number_entities([to_entity(c) for c in clusters if c.spans or c.adjectives])
    return doc


def add_adjective_mentions(doc: Document, clusters: list[Cluster], gazetteer: Gazetteer) -> None:
    """"российских", "московского": a place adjective is a mention (kind "adjective") of its place, which
    becomes an entity if the text never names it."""
    by_name = {fold_key(s.normal): c for c in clusters if c.type == "LOC" for s in c.spans}
    found = [(i, start, end, place) for i, token in enumerate(doc.tokens) if token.text[:1].isalpha()
             for start, end, lemma in adjective_parts(token) if (place := gazetteer.adjective_place(lemma))]
    allowed = adjective_positions(doc, {i for i, *_ in found}) if found else set()
    for i, start, end, place in found:
        if i not in allowed or not names_place(doc.tokens, i, gazetteer):
            continue
        cluster = by_name.get(fold_key(place.name))
        if cluster is None:
            cluster = by_name[fold_key(place.name)] = Cluster("LOC", place=place)
            clusters.append(cluster)
        cluster.adjectives.append(Mention(start, end, doc.text[start:end], kind="adjective"))


def adjective_positions(doc: Document, indexes: set[int]) -> set[int]:
    """Of the words at ``indexes``, those that may be place adjectives: not inside a place's or a person's name,
    and capitalised only at a sentence start or inside an organisation's name ("Российской академии наук"); a
    capital elsewhere makes the word part of some other name ("от Сирийского процесса" is no mention of Syria)."""
    def inside(i: int, types: tuple[str, ...]) -> bool:
        token = doc.tokens[i]
        return any(s.type in types and s.start <= token.start and token.end <= s.end for s in doc.ner_spans)
    starts = {s.start for s in doc.sentences}
    return {i for i in indexes if not inside(i, ("LOC", "PER")) and (
        doc.tokens[i].text[:1].islower() or doc.tokens[i].start in starts or inside(i, ("ORG",)))}


def adjective_parts(token: Token) -> list[tuple[int, int, str]]:
    """(start, end, lemma) of each adjective in a token: "российско-американских" has two (NEREL marks both)."""
    if "-" not in token.text or token.text.startswith("-"):
        return [(token.start, token.end, token.lemma)]
    parts, out, offset = token.text.split("-"), [], token.start
    for n, part in enumerate(parts):
        if n < len(parts) - 1 and part.lower().endswith("ско"):
            out.append((offset, offset + len(part), part[:-1] + "ий"))  # "российско" -> "российский"
        elif n == len(parts) - 1 and len(out) == n:
            out.append((offset, offset + len(part), token.lemma.split("-")[-1]))
        offset += len(part) + 1
    return out if len(parts) > 1 and out and len(out) == len(parts) else [(token.start, token.end, token.lemma)]


def names_place(tokens: list[Token], i: int, gazetteer: Gazetteer) -> bool:
    """The adjective's head (the first noun after it, past other adjectives and conjunctions) is no language
    or origin ("английский язык", "на английском и русском языках") and no profession: "американский актёр"
    says the actor's nationality (NEREL train: 94 of 148 such adjectives unmarked), "американский президент"
    says whose president he is."""
    for token in tokens[i + 1:i + 5]:
        if token.pos in ("NOUN", "PROPN"):
            title = gazetteer.title(token.lemma) if token.feats.get("Animacy") == "Anim" else None
            private = title is not None and title.group == "profession" and token.lemma not in STATE_PROFESSIONS
            return token.lemma not in NOT_PLACE_HEADS and not private
        if token.pos not in ("ADJ", "CCONJ") and token.text != ",":
            break
    return True


def cluster_people(spans: list[NerSpan], tokens: list[Token]) -> list[Cluster]:
    """Fullest names first; a shorter name joins the person whose name words contain all of its words
    (as normalised, as written, or as lemmatised: natasha may normalise "Олега Сомова" to "Олег Сомова")."""
    clusters: list[Cluster] = []
    starts = [t.start for t in tokens]
    for span in sorted(spans, key=lambda s: (-len(s.normal.split()), s.start)):
        lemmas = span_lemmas(span, tokens, starts)
        forms = ({fold_key(w) for w in span.normal.split()}, {fold_key(w) for w in span.text.split()}, lemmas)
        found = [c for c in clusters if any(words and words <= c.keys for words in forms)]
        cluster = nearest_before(found, span.start) if found else None
        if cluster is None:
            cluster = Cluster("PER")
            clusters.append(cluster)
        cluster.add(span)
        cluster.keys |= lemmas
    return clusters


def span_lemmas(span: NerSpan, tokens: list[Token], starts: list[int]) -> set[str]:
    i, out = bisect_left(starts, span.start), set()
    while i < len(tokens) and tokens[i].end <= span.end:
        if tokens[i].text[:1].isalpha():
            out.add(fold_key(tokens[i].lemma))
        i += 1
    return out


def nearest_before(clusters: list[Cluster], start: int) -> Cluster:
    """Of several people a short name could be, the one named most recently before it (else the first)."""
    if len(clusters) == 1:
        return clusters[0]

    def last_before(c: Cluster) -> int:
        return max((s.start for s in c.spans if s.start < start), default=-1)
    return max(clusters, key=last_before)


def cluster_by_name(spans: list[NerSpan]) -> list[Cluster]:
    by_key: dict[tuple[str, str], Cluster] = {}
    for span in spans:
        key = (span.type, fold_key(span.normal))
        by_key.setdefault(key, Cluster(span.type)).add(span)
    return list(by_key.values())


def is_nominal(span: NerSpan, gazetteer: Gazetteer) -> bool:
    """"правительство", "полицией": a body named by its common noun alone (bodies.tsv) is an ORG mention but no
    name: factRuEval annotates names only (and "японское правительство" as one), NEREL both."""
    word = span.text
    return span.type == "ORG" and word.isalpha() and word[1:].islower() \
        and parse_word(word)[0].normal_form in gazetteer.bodies


def join_nominals(clusters: list[Cluster], gazetteer: Gazetteer) -> list[Cluster]:
    """A bare body noun ("правительство") is a mention of the one body the text names with it ("правительство
    Израиля"); with none or several such bodies it stays an entity of its own."""
    named = [c for c in clusters if c.type == "ORG" and not all(is_nominal(s, gazetteer) for s in c.spans)]
    out = []
    for cluster in clusters:
        spans = cluster.spans
        if cluster.type == "ORG" and all(is_nominal(s, gazetteer) for s in spans):
            head = fold_key(spans[0].normal)
            owners = [c for c in named if fold_key(canonical_name(c)).split()[0] == head]
            if len(owners) == 1:
                owners[0].spans += spans
                continue
        out.append(cluster)
    return out


def canonical_name(cluster: Cluster) -> str:
    """People: the fullest normal form (most words; then one the text itself writes that way, since natasha's
    normalisation can slip, "Олега Сомова" -> "Олег Сомова"; then most frequent); others: the most frequent."""
    named = [s for s in cluster.spans if s.type != "ORG" or not is_nominal(s, load_gazetteer())]
    counts = Counter(s.normal for s in named or cluster.spans)
    written = {s.normal for s in cluster.spans if s.normal == s.text}
    first = {}
    for s in sorted(cluster.spans, key=lambda s: s.start):
        first.setdefault(s.normal, s.start)
    width = (lambda n: len(n.split())) if cluster.type == "PER" else (lambda n: 0)
    return max(counts, key=lambda n: (width(n), n in written, counts[n], -first[n]))


def to_entity(cluster: Cluster) -> Entity:
    spans = sorted(cluster.spans, key=lambda s: s.start)
    subtype = next((s.subtype for s in spans if s.subtype), cluster.place.subtype if cluster.place else None)
    gazetteer = load_gazetteer()
    mentions = [Mention(s.start, s.end, s.text, "nominal" if is_nominal(s, gazetteer) else "name") for s in spans]
    mentions += cluster.adjectives
    return Entity(id="", type=cluster.type, name=canonical_name(cluster) if spans else cluster.place.name,
                  mentions=sorted(mentions, key=lambda m: m.start),
                  subtype=subtype if cluster.type == "LOC" else None)


def number_entities(entities: list[Entity]) -> list[Entity]:
    """Ids e1, e2 ... in order of first mention."""
    entities.sort(key=lambda e: e.mentions[0].start)
    for number, ent in enumerate(entities, 1):
        ent.id = f"e{number}"
    return entities


def make_resolve_stage():
    from .pipeline import Stage
    return Stage("resolve_entities", resolve_entities, requires=("ner_spans",), assigns=("entities",))


def link_role_references(view, holders: list, references: list) -> None:
    """Add each role reference as a mention of the person holding that role, when one holder dominates.

    ``holders`` are (person, title phrase) pairs linked by the roles stage; ``references`` are title
    phrases with no name beside them ("Глава государства подчеркнул", "наш президент", "Спецпредставитель").
    A reference matches a holder's title by its core ("спецпредставитель" = "специальный представитель") and,
    when it names a place or body ("президент США"), by that too.  Several holders: the one named more often
    than all the others together wins (the article's protagonist); otherwise the reference stays unresolved.
    """
    from .roles import holds_head_of_state, is_head_of_state_reference, title_core
    for ref in references:
        group = view.gazetteer.title(view.title_lemma(ref.head) or "")
        if group is None or group.group == "profession":
            continue
        if is_head_of_state_reference(view, ref):
            matched = [(p, h) for p, h in holders if holds_head_of_state(view, h)]
        elif ref.end == ref.head + 1 or ref.of:
            core = title_core(view, ref)
            matched = [(p, h) for p, h in holders if title_core(view, h) == core and (not ref.of or h.of == ref.of)]
        else:  # "глава правительства": the whole title must match
            matched = [(p, h) for p, h in holders if h.title == ref.title]
        owner = dominant(list({id(p): p for p, _ in matched}.values()))
        if owner is None and not matched and ref.of:
            owner = protagonist_for(view, ref)
        if owner is not None:
            # "Президент заявил" about the president of the USA is evidence of that role, США included
            ref.of = ref.of or next((h.of for p, h in matched if p is owner and h.of), None)
            add_reference_mention(view, ref, owner)


def protagonist_for(view, ref) -> Entity | None:
    """"Премьер-министр Израиля заявил ..." where no one is named with that office: the article's protagonist
    (named more often than all other people together), unless he holds an office of another owner."""
    people = list({id(e): e for e in view.entity_at if e is not None and e.type == "PER"}.values())
    owner = dominant(people)
    if owner is None or any(r.of is not None and r.of != ref.of for r in owner.roles):
        return None
    return owner


def dominant(people: list[Entity]) -> Entity | None:
    if not people:
        return None
    people = sorted(people, key=lambda p: -len(p.mentions))
    others = sum(len(p.mentions) for p in people[1:])
    return people[0] if len(people[0].mentions) > others else None


def add_reference_mention(view, ref, owner: Entity) -> None:
    """The reference becomes a mention of its holder ("наш президент") and evidence of the role ("президент")."""
    from .roles import POSSESSIVES
    start_token = ref.start
    if start_token > 0 and view.tokens[start_token - 1].text.lower() in POSSESSIVES:
        start_token -= 1
    start, end = view.tokens[start_token].start, view.tokens[ref.end - 1].end
    owner.mentions.append(Mention(start, end, view.text[start:end], kind="reference"))
    owner.mentions.sort(key=lambda m: m.start)
    title_start = view.tokens[ref.start].start
    owner.roles.append(Role(ref.title, ref.of, title_start, end))
    owner.roles.sort(key=lambda r: r.start)
