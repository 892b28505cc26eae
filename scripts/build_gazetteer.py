"""Build sarap/data/gazetteer.tsv: every case form of the places and bodies sarap recognises by name.

Sources: pycountry's Russian ISO 3166-1 translations (country names), sarap/data/places.tsv (hand list: short
country names, capitals, cities, regions) and sarap/data/orgs.tsv (hand list: international and government
bodies).  Names are inflected into the six cases with pymorphy3.
Also sarap/data/place_types.tsv: the place type (country/city/region/other) of every capitalised place name
annotated in NEREL *train* (never dev or test), by majority, to type places the gazetteer does not list.
Run: .venv/bin/python scripts/build_gazetteer.py [NEREL_TRAIN_DIR]  (default ../shared/data/nerel/train)
"""
from __future__ import annotations

import gettext
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pycountry

from sarap.gazetteer import fold_key, load_morph, read_rows

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sarap" / "data" / "gazetteer.tsv"
PLACE_TYPES_OUT = ROOT / "sarap" / "data" / "place_types.tsv"
ADJECTIVES_OUT = ROOT / "sarap" / "data" / "adjectives.tsv"
NEREL_TRAIN = ROOT.parent / "shared" / "data" / "nerel" / "train"
NEREL_SUBTYPES = {"COUNTRY": "country", "CITY": "city", "STATE_OR_PROVINCE": "region", "LOCATION": "other",
                  "DISTRICT": "other"}
# Place types whose adjectives ("российских", "московского") NEREL marks as the place; LOCATION ("азиатских")
# and DISTRICT are too loose to take.
ADJECTIVE_TYPES = {"COUNTRY": "country", "CITY": "city", "STATE_OR_PROVINCE": "region"}
# "русский" names a people and a language, not the state ("российский" does); NEREL links it to Russia at times.
NOT_PLACE_ADJECTIVES = {"русский"}
# Country names that are also common words at a sentence start ("Того же мнения ...").
AMBIGUOUS = {"Того"}
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2", "gen2")


def inflect_word(word: str, case: str, agree: bool) -> tuple[str, bool]:
    """The word in ``case``; returns (form, whether later words still agree with it)."""
    if not agree or word.isupper() or not word.isalpha() and "-" not in word:
        return word, False
    parses = [p for p in load_morph().parse(word)
              if "nomn" in p.tag and ("NOUN" in p.tag or "ADJF" in p.tag or "PRTF" in p.tag)]
    if not parses:
        return word, False
    best = max(parses, key=lambda p: ("Geox" in p.tag, p.score))
    form = best.inflect({case})
    text = restore_case(word, form.word if form else word)
    # Words after the first noun are its complement ("Организация Объединённых Наций"): they stay as written.
    return text, "ADJF" in best.tag or "PRTF" in best.tag


def restore_case(original: str, form: str) -> str:
    """pymorphy3 answers in lower case; give each hyphen-separated part the capital it had."""
    parts, models = form.split("-"), original.split("-")
    return "-".join(p[:1].upper() + p[1:] if i < len(models) and models[i][:1].isupper() else p
                    for i, p in enumerate(parts))


def inflect_name(name: str) -> set[str]:
    forms = {name}
    for case in CASES:
        agree, words = True, []
        for word in name.split():
            text, agree = inflect_word(word, case, agree)
            words.append(text)
        forms.add(" ".join(words))
    return forms


def country_rows() -> list[tuple[str, str, str, str]]:
    """(name, type, subtype, aliases) from pycountry's Russian names; those with brackets or commas are skipped."""
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    names = {ru.gettext(c.name) for c in pycountry.countries}
    return [(n, "LOC", "country", "") for n in sorted(names) if not set("(),—") & set(n) and n not in AMBIGUOUS]


def hand_rows() -> list[tuple[str, str, str, str]]:
    rows = [(r[0], "LOC", r[1], r[2] if len(r) > 2 else "") for r in read_rows("places.tsv")]
    rows += [(r[0], "ORG", "", r[1] if len(r) > 1 else "") for r in read_rows("orgs.tsv")]
    return rows


def build() -> list[tuple[str, str, str, str]]:
    """Hand-listed names first (their canonical names win), then pycountry's names not listed by hand."""
    out, seen = [], set()
    for name, type_, subtype, aliases in hand_rows() + country_rows():
        for variant in [name] + [a.strip() for a in aliases.split(";") if a.strip()]:
            forms = inflect_name(variant) if type_ == "LOC" or not variant.isupper() else {variant}
            for form in sorted(forms):
                if fold_key(form) not in seen:
                    seen.add(fold_key(form))
                    out.append((form, type_, subtype, name))
    return out


def nerel_place_types(train: Path) -> list[tuple[str, str, str]]:
    """(form, subtype, count) for capitalised place names in NEREL train; adjectives ("российских") left out."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for ann in sorted(train.glob("*.ann")):
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[0].startswith("T") or ";" in parts[1]:
                continue
            subtype = NEREL_SUBTYPES.get(parts[1].split()[0])
            form = parts[2].strip()
            if subtype and form[:1].isupper() and not is_adjective(form.split()[-1]):
                votes[form][subtype] += 1
    return [(form, c.most_common(1)[0][0], str(sum(c.values()))) for form, c in sorted(votes.items())]


def nerel_adjectives(train: Path, places: dict) -> list[tuple[str, str, str, str]]:
    """(adjective lemma, subtype, place, count): one-word adjectives NEREL train marks as a country, city or
    region ("российских" COUNTRY), with the place their Wikidata link names, by majority; the place takes the
    gazetteer's canonical name (``places``: fold_key(form) -> (name, subtype)) where it has one."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for ann in sorted(train.glob("*.ann")):
        spans, links = {}, {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[0].startswith("T") and parts[1].split()[0] in ADJECTIVE_TYPES:
                spans[parts[0]] = (parts[1].split()[0], parts[2].strip())
            elif len(parts) >= 3 and parts[0].startswith("N") and "Wikidata:Q" in parts[1]:
                links[parts[1].split()[1]] = parts[2].strip()
        for tid, (type_, form) in spans.items():
            lemma = adjective_lemma(form)
            name = links.get(tid, "")
            if lemma and name[:1].isupper() and fold_key(name) != lemma and lemma not in NOT_PLACE_ADJECTIVES:
                votes[lemma][(name, ADJECTIVE_TYPES[type_])] += 1
    rows = []
    for lemma, counter in sorted(votes.items()):
        (name, subtype), count = counter.most_common(1)[0]
        name, subtype = places.get(fold_key(name), (name, subtype))
        rows.append((lemma, subtype, name, str(count)))
    return rows


def adjective_lemma(form: str) -> str | None:
    """The lemma of a one-word relative adjective ("российских" -> "российский"), else None; possessive
    forms ("Иванов"), town names that decline like adjectives ("Жуковский") and stems of compounds are not."""
    if " " in form or not form.replace("-", "").isalpha():
        return None
    parses = [p for p in load_morph().parse(form) if "ADJF" in p.tag]
    lemma = parses[0].normal_form.replace("ё", "е") if parses else ""
    return lemma if lemma.endswith(("ский", "цкий")) else None


def is_adjective(word: str) -> bool:
    top = load_morph().parse(word)[0]
    return "ADJF" in top.tag and "Geox" not in top.tag


def main() -> None:
    rows = build()
    header = "# form\ttype\tsubtype\tname — generated by scripts/build_gazetteer.py; do not edit by hand\n"
    OUT.write_text(header + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} forms -> {OUT}")
    train = Path(sys.argv[1]) if len(sys.argv) > 1 else NEREL_TRAIN
    if train.is_dir():
        types = nerel_place_types(train)
        header = f"# form\tsubtype\tcount — from NEREL train ({train.name}/*.ann) by scripts/build_gazetteer.py\n"
        PLACE_TYPES_OUT.write_text(header + "".join("\t".join(r) + "\n" for r in types), encoding="utf-8")
        print(f"{len(types)} place forms -> {PLACE_TYPES_OUT}")
        places = {fold_key(form): (name, subtype) for form, type_, subtype, name in rows if type_ == "LOC"}
        adjectives = nerel_adjectives(train, places)
        header = f"# lemma\tsubtype\tplace\tcount — from NEREL train ({train.name}/*.ann) by scripts/build_gazetteer.py\n"
        ADJECTIVES_OUT.write_text(header + "".join("\t".join(r) + "\n" for r in adjectives), encoding="utf-8")
        print(f"{len(adjectives)} place adjectives -> {ADJECTIVES_OUT}")
    else:
        print(f"{train} is absent: {PLACE_TYPES_OUT.name} left as it is")


if __name__ == "__main__":
    main()
