"""The actor dictionary: bundled data, matching, dated resolution, and loader errors.

Sentences here are written for the tests; none comes from the seeds or the dev set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import textwrap
from pathlib import Path

import pytest

from etl.actors import ActorDictionary, ActorDictionaryError, default_actors, default_paths, split_code

D = dt.date


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return default_actors()


def ids(actors: ActorDictionary, text: str) -> list[str]:
    return [m.entry_id for m in actors.find(text)]


def code(actors: ActorDictionary, entry_id: str, day: dt.date) -> str | None:
    resolved = actors.resolve(entry_id, day)
    return resolved.code if resolved else None


def write(tmp_path: Path, text: str, name: str = "actors.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the bundled dictionary


def test_bundled_dictionary_loads_and_records_its_version(actors: ActorDictionary) -> None:
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in default_paths())).hexdigest()[:12]
    assert actors.version == digest
    kinds = {e.kind for e in actors.entries.values()}
    assert {"person", "organisation", "country", "metonym", "collective", "group", "office", "title"} <= kinds
    assert sum(e.kind == "person" for e in actors.entries.values()) > 300


def test_office_holders_hold_the_office_code_throughout(actors: ActorDictionary) -> None:
    """An office's holder must carry the office's code on the first and last day of the tenure."""
    wrong = []
    for office in (e for e in actors.entries.values() if e.kind == "office"):
        for holder in office.holders:
            for day in (d for d in (holder.start, holder.end) if d):
                resolved = actors.resolve(office.id, day)
                if resolved is None or resolved.code != office.code:
                    wrong.append((office.id, holder.person, day))
    assert wrong == []


# ---------------------------------------------------------------- matching


def test_aliases_and_transliterations(actors: ActorDictionary) -> None:
    text = "Zelenskiy read Zelenskyy's speech; Volodymyr Zelensky, Sergey Lavrov, Orban, Orbán and Erdoğan spoke."
    assert ids(actors, text) == ["zelensky", "zelensky", "zelensky", "lavrov", "orban", "orban", "erdogan"]


def test_offsets_survive_curly_apostrophes_and_accents(actors: ActorDictionary) -> None:
    text = "Erdoğan’s envoy relayed Putin’s remarks to Szijjártó."
    matches = actors.find(text)
    assert [(m.text, m.entry_id) for m in matches] == [
        ("Erdoğan", "erdogan"),
        ("Putin", "putin"),
        ("Szijjártó", "szijjarto"),
    ]
    assert all(text[m.start : m.end] == m.text for m in matches)


def test_possessives_leave_the_suffix(actors: ActorDictionary) -> None:
    for text in ("Putin's remarks surprised no one.", "Putin’s remarks surprised no one."):
        (match,) = actors.find(text)
        assert (match.start, match.end, match.text, match.entry_id) == (0, 5, "Putin", "putin")


def test_whole_words_only(actors: ActorDictionary) -> None:
    assert actors.find("Putinism and Xi'an, NATOs and Kremlinology") == []


def test_case_sensitive_names_and_acronyms(actors: ActorDictionary) -> None:
    assert ids(actors, "They told us the plan would wait until May.") == []
    assert ids(actors, "The US told Theresa May in May.") == ["usa", "theresa_may"]
    assert ids(actors, "US officials briefed us.") == ["usa_government"]


def test_case_insensitive_phrases(actors: ActorDictionary) -> None:
    for text in ("the Russian president", "the russian president", "THE RUSSIAN PRESIDENT"):
        assert ids(actors, text) == ["rus_president"]


def test_leftmost_longest(actors: ActorDictionary) -> None:
    (match,) = actors.find("Russian Foreign Minister Sergei Lavrov arrived.")
    assert (match.text, match.entry_id) == ("Russian Foreign Minister Sergei Lavrov", "lavrov")
    assert ids(actors, "Ukrainian forces advanced while Russian troops withdrew.") == ["ukr_military", "rus_military"]
    assert ids(actors, "the UN Security Council and the UN") == ["un_security_council", "un"]
    assert ids(actors, "Kyiv region and the Minsk agreements") == []


def test_titles_glue_onto_names_and_vanish_alone(actors: ActorDictionary) -> None:
    matches = actors.find("Former President Donald Trump and Defense Secretary Pete Hegseth met the President.")
    assert [(m.text, m.entry_id) for m in matches] == [
        ("Former President Donald Trump", "trump"),
        ("Defense Secretary Pete Hegseth", "hegseth"),
    ]


# ---------------------------------------------------------------- dated roles and offices


def test_dated_roles(actors: ActorDictionary) -> None:
    assert code(actors, "trump", D(2024, 6, 1)) == "USAELI"
    assert code(actors, "trump", D(2025, 6, 1)) == "USAGOV"
    assert code(actors, "kuleba", D(2024, 9, 5)) == "UKRGOV"
    assert code(actors, "kuleba", D(2024, 9, 6)) == "UKRELI"
    assert code(actors, "merz", D(2025, 5, 5)) != "DEUGOV"
    assert code(actors, "merz", D(2025, 5, 6)) == "DEUGOV"
    assert code(actors, "schroeder", D(2024, 3, 1)) == "DEUELI"
    assert code(actors, "medvedev", D(2023, 1, 1)) == "RUSGOV"
    assert actors.resolve("prigozhin", D(2024, 1, 1)) is None


def test_resolved_actor_fields(actors: ActorDictionary) -> None:
    putin = actors.resolve("putin", D(2022, 2, 24))
    assert putin is not None
    assert (putin.name, putin.code, putin.country, putin.role, putin.qid, putin.kind) == (
        "Vladimir Putin", "RUSGOV", "RUS", "GOV", "Q7747", "person")


def test_offices_resolve_through_the_date(actors: ActorDictionary) -> None:
    (match,) = actors.find("the US president")
    biden, trump = actors.resolve(match.entry_id, D(2023, 3, 1)), actors.resolve(match.entry_id, D(2025, 3, 1))
    assert biden and (biden.name, biden.code, biden.kind) == ("Joe Biden", "USAGOV", "person")
    assert trump and (trump.name, trump.code) == ("Donald Trump", "USAGOV")
    (match,) = actors.find("the Russian president")
    putin = actors.resolve(match.entry_id, D(2023, 3, 1))
    assert putin and (putin.name, putin.qid) == ("Vladimir Putin", "Q7747")
    (match,) = actors.find("Ukraine's foreign minister")
    assert actors.resolve(match.entry_id, D(2023, 3, 1)).name == "Dmytro Kuleba"
    assert actors.resolve(match.entry_id, D(2025, 3, 1)).name == "Andrii Sybiha"
    (match,) = actors.find("the German chancellor")
    assert actors.resolve(match.entry_id, D(2024, 3, 1)).name == "Olaf Scholz"
    assert actors.resolve(match.entry_id, D(2025, 6, 1)).name == "Friedrich Merz"
    (match,) = actors.find("NATO Secretary General")
    stoltenberg, rutte = actors.resolve(match.entry_id, D(2020, 1, 1)), actors.resolve(match.entry_id, D(2025, 1, 1))
    assert (stoltenberg.name, stoltenberg.code) == ("Jens Stoltenberg", "IGOWSTNAT")
    assert (rutte.name, rutte.code, rutte.country, rutte.role) == ("Mark Rutte", "IGOWSTNAT", "WST", "IGO")


def test_office_without_a_holder_gives_its_own_name_and_code(actors: ActorDictionary) -> None:
    (match,) = actors.find("a Kremlin aide said")
    aide = actors.resolve(match.entry_id, D(2024, 1, 1))
    assert aide and (aide.name, aide.code, aide.qid) == ("Kremlin aide", "RUSGOV", None)


def test_unknown_entry_is_an_error(actors: ActorDictionary) -> None:
    with pytest.raises(KeyError):
        actors.resolve("no_such_entry", D(2024, 1, 1))


# ---------------------------------------------------------------- codes of metonyms, collectives, IGOs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Kremlin", ("RUSGOV", "metonym")),
        ("Moscow", ("RUSGOV", "metonym")),
        ("Kyiv", ("UKRGOV", "metonym")),
        ("Kiev", ("UKRGOV", "metonym")),
        ("Washington", ("USAGOV", "metonym")),
        ("the White House", ("USAGOV", "metonym")),
        ("the State Department", ("USAGOV", "metonym")),
        ("the Pentagon", ("USAGOV", "metonym")),
        ("Brussels", ("IGOEUREEC", "metonym")),
        ("Beijing", ("CHNGOV", "metonym")),
        ("Russia", ("RUSGOV", "country")),
        ("the United States", ("USAGOV", "country")),
        ("U.S.", ("USAGOV", "country")),
        ("the West", ("WST", "collective")),
        ("Western allies", ("WST", "collective")),
        ("European leaders", ("EUR", "collective")),
        ("NATO", ("IGOWSTNAT", "organisation")),
        ("the European Union", ("IGOEUREEC", "organisation")),
        ("EU leaders", ("IGOEUREEC", "organisation")),
        ("the United Nations", ("IGOUNO", "organisation")),
        ("UN General Assembly", ("IGOUNO", "organisation")),
        ("OSCE", ("IGOEURSCE", "organisation")),
        ("IAEA", ("IGOUNOIAE", "organisation")),
        ("G20", ("IGO", "organisation")),
        ("the FSB", ("RUSSPY", "organisation")),
        ("Russian troops", ("RUSMIL", "group")),
    ],
)
def test_codes(actors: ActorDictionary, text: str, expected: tuple[str, str]) -> None:
    (match,) = actors.find(text)
    resolved = actors.resolve(match.entry_id, D(2024, 1, 1))
    assert resolved and (resolved.code, resolved.kind) == expected


@pytest.mark.parametrize(
    ("code_", "parts"),
    [("RUSGOV", ("RUS", "GOV")), ("IGOWSTNAT", ("WST", "IGO")), ("IGOEUREEC", ("EUR", "IGO")),
     ("IGOUNO", (None, "IGO")), ("WST", ("WST", None)), ("IGO", (None, "IGO"))],
)
def test_split_code(code_: str, parts: tuple[str | None, str | None]) -> None:
    assert split_code(code_) == parts


# ---------------------------------------------------------------- loading your own files


PUTIN = """
- id: putin
  name: Vladimir Putin
  kind: person
  aliases: [Putin]
  roles:
    - {code: RUSGOV, start: 2000-05-07}
"""


def test_custom_file_with_per_alias_case_insensitivity(tmp_path: Path) -> None:
    path = write(tmp_path, PUTIN + """
- id: kremlin_boss
  name: Kremlin boss
  kind: group
  code: RUSGOV
  aliases: [{text: the kremlin boss, case_insensitive: true}, KB]
""")
    actors = ActorDictionary.load([path])
    assert ids(actors, "The Kremlin Boss and putin and kb and KB") == ["kremlin_boss", "kremlin_boss"]
    assert ActorDictionary.load([path]).version == actors.version


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ActorDictionaryError) as caught:
        ActorDictionary.load([path])
    return str(caught.value)


def test_bad_date_names_file_line_and_field(tmp_path: Path) -> None:
    message = error_of(tmp_path, """
- id: lavrov
  name: Sergei Lavrov
  kind: person
  aliases: [Lavrov]
  roles:
    - {code: RUSGOV, start: 2004-13-09}
""")
    assert message == f"{tmp_path / 'actors.yaml'}:6: entry 'lavrov': roles[0].start: invalid date '2004-13-09'"


def test_unknown_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, PUTIN + """
- id: lavrov
  name: Sergei Lavrov
  kind: person
  aliases: [Lavrov]
  code: RUSGOV
  nickname: the fox
""")
    assert message == f"{tmp_path / 'actors.yaml'}:13: entry 'lavrov': nickname: unknown field"


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    message = error_of(tmp_path, PUTIN + """
- id: putin
  name: Vladimir Putin
  kind: person
  aliases: [Vladimir Putin]
  code: RUSGOV
""")
    assert f"{tmp_path / 'actors.yaml'}:8: entry 'putin': id: duplicate id" in message
    assert f"first at {tmp_path / 'actors.yaml'}:1" in message


def test_duplicate_alias_names_both_entries_and_lines(tmp_path: Path) -> None:
    message = error_of(tmp_path, PUTIN + """
- id: vvp
  name: VVP
  kind: person
  code: RUSGOV
  aliases:
    - VVP
    - {text: putin, case_insensitive: true}
""")
    where = tmp_path / "actors.yaml"
    assert message == (f"{where}:14: entry 'vvp': aliases[1]: duplicate alias 'putin'"
                       f" (also entry 'putin' at {where}:4)")


def test_duplicate_alias_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, PUTIN, "actors_a.yaml")
    second = write(tmp_path, """
- id: kremlin
  name: Kremlin
  kind: metonym
  code: RUSGOV
  aliases: [Kremlin, Putin]
""", "actors_b.yaml")
    with pytest.raises(ActorDictionaryError, match=r"actors_b\.yaml:5: entry 'kremlin': aliases\[1\]: duplicate alias"
                                                   r" 'Putin' \(also entry 'putin' at .*actors_a\.yaml:4\)"):
        ActorDictionary.load([first, second])


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        ("  code: RUSGVO\n", 5, "code: invalid code 'RUSGVO': unknown segment 'GVO'"),
        ("  roles:\n    - {code: RUSGOV, end: 2010-01-01}\n    - {code: RUSELI, start: 2009-01-01}\n", 6,
         "roles: item 1 overlaps item 0"),
        ("  roles:\n    - {code: RUSGOV, start: 2010-01-01, end: 2009-01-01}\n", 6,
         "roles[0]: end 2009-01-01 is before start 2010-01-01"),
        ("  qid: 7747\n  code: RUSGOV\n", 5, "qid: Input should be a valid string"),
    ],
)
def test_field_errors(tmp_path: Path, body: str, line: int, expected: str) -> None:
    message = error_of(tmp_path, "- id: x\n  name: X\n  kind: person\n  aliases: [Xx]\n" + body)
    assert message.startswith(f"{tmp_path / 'actors.yaml'}:{line}: entry 'x': ")
    assert expected in message


def test_office_holder_must_be_a_person(tmp_path: Path) -> None:
    message = error_of(tmp_path, PUTIN + """
- id: president
  name: President of Russia
  kind: office
  code: RUSGOV
  aliases: [{text: russian president, case_insensitive: true}]
  holders:
    - {person: putinn, start: 2012-05-07}
""")
    assert message == (f"{tmp_path / 'actors.yaml'}:14: entry 'president': holders[0].person: 'putinn'"
                       " is not a person entry")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, PUTIN + "- id: [unclosed\n")
    assert message.startswith(f"{tmp_path / 'actors.yaml'}:")
    assert "YAML syntax error" in message


def test_mediators_and_the_us_led_alliance_name_their_actors(actors: ActorDictionary) -> None:
    assert ids(actors, "Qatari mediators met the US-led NATO envoys.") == ["qat_government", "nato"]
