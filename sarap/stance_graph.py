"""Who speaks of whom, with what tone, across the knowledge base: document stances aggregated by
(speaker, target) knowledge-base entities."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .store.base import Store

OUTLET = "outlet"   # the speaker of the outlet's own voice (speaker null in a document's stances)


@dataclass(slots=True)
class StanceEdge:
    speaker: str | None            # knowledge-base key; None = the outlets' own voice
    target: str
    speaker_name: str
    target_name: str
    count: int = 0                 # documents in which the speaker speaks of the target
    score: float = 0.0             # mean stance score, in [-1, 1]
    labels: Counter = field(default_factory=Counter)
    documents: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        pos, neg = self.labels["positive"], self.labels["negative"]
        return "positive" if pos > neg else "negative" if neg > pos else "neutral"


def build_stance_graph(store: Store, *, speakers: set[str] | None = None,
                       targets: set[str] | None = None) -> list[StanceEdge]:
    """Aggregate every stored document's stances; ``speakers``/``targets`` restrict to those keys
    (use ``OUTLET`` in ``speakers`` for the outlets' own voice)."""
    names = {r["key"]: r["name"] for r in store.iter_rows("entities")}
    edges: dict[tuple[str | None, str], StanceEdge] = {}
    for row in store.iter_rows("documents"):
        if row.get("reprint_of"):
            continue                      # a reprint repeats its original's stances
        doc = store.get_document(row["id"])
        keys = store.document_entity_keys(row["id"])
        for stance in doc.stances if doc else []:
            speaker = keys.get(stance.speaker) if stance.speaker else None
            target = keys.get(stance.target)
            if target is None or (speakers and (speaker or OUTLET) not in speakers) or \
                    (targets and target not in targets):
                continue
            edge = edges.get((speaker, target))
            if edge is None:
                edge = edges[(speaker, target)] = StanceEdge(
                    speaker, target, names.get(speaker, speaker) if speaker else OUTLET, names.get(target, target))
            edge.score = (edge.score * edge.count + stance.score) / (edge.count + 1)
            edge.count += 1
            edge.labels[stance.label] += 1
            edge.documents.append(row["id"])
    return sorted(edges.values(), key=lambda e: (-e.count, e.speaker_name, e.target_name))


def stance_gexf(edges: list[StanceEdge], path) -> None:
    """A directed GEXF graph (Gephi): speaker -> target, weight = documents, with mean score and label."""
    import networkx as nx

    graph = nx.DiGraph()
    for e in edges:
        source = e.speaker or OUTLET
        graph.add_node(source, label=e.speaker_name)
        graph.add_node(e.target, label=e.target_name)
        graph.add_edge(source, e.target, weight=e.count, score=round(e.score, 3), label=e.label)
    nx.write_gexf(graph, path)
