"""Word clusters over navec: words used alike share an id, unknown words get "-"."""
from sarap.clusters import word_clusters


def test_words_used_alike_share_the_fine_cluster():
    assert word_clusters("Газпром")[1] == word_clusters("Роснефть")[1] == word_clusters("Лукойл")[1]
    assert word_clusters("Казахстан")[1] == word_clusters("Узбекистан")[1]


def test_every_size_gives_an_id_and_unknown_words_a_dash():
    assert len(word_clusters("президент")) == 2
    assert all(c.isdigit() for c in word_clusters("президент"))
    assert word_clusters("щщщщзззкккк") == ("-", "-")


def test_case_and_yo_do_not_matter():
    assert word_clusters("ПРЕЗИДЕНТ") == word_clusters("президент")
    assert word_clusters("ещё") == word_clusters("еще") or "-" not in word_clusters("ещё")
