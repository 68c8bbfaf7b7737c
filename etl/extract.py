"""The default coder: one cleaned, segmented document in, its event mentions out.

Deterministic by construction (dictionaries, patterns and a fixed parser model; no
randomness, no clock), so a release can be rebuilt byte for byte. The coder is the one
function `extract_mentions`; a learned or remote coder can stand beside it with the same
signature and be scored by the same scorer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from etl import nlp
from etl.actors import ActorDictionary, ResolvedActor, default_actors
from etl.codes import lookup
from etl.conditions import (
    ConditionLexicon,
    FoundCondition,
    continuation,
    default_conditions,
)
from etl.dates import (
    DateMention,
    ResolvedDate,
    fallback_date,
    find_dates,
    in_news_week,
    is_dateline,
    is_term,
    lead_date,
)
from etl.documents import LoadedDocument
from etl.models import Condition, EventMention, Span
from etl.patterns import ACTOR_LABEL, ActionMatch, ActionPatterns, default_patterns
from etl.roles import (
    REPORTING_VERBS,
    ActorSpan,
    Roles,
    Salience,
    embedded_in,
    find_actors,
    find_targets,
    is_hypothetical,
    is_negated,
    is_unrealised,
    speaker_of,
)
from etl.segment import Sentence

CODER_NAME = "parley-rules"
CODER_VERSION = "1.0.0"

# Roots whose actions are about another party's stance: an action coded inside their clause
# ("accused Russia of rejecting talks") is that party's alleged act, not an event of its own.
# An appeal's content ("called for resuming talks") and an agreement's terms ("a deal to pause strikes")
# are no events of their own either.
FRAMING_ROOTS = frozenset({"01", "02", "10", "11", "12", "13"})
FRAMING_CODES = frozenset({"051", "052", "057"})
# Roots of negotiation signals, which take the codebook's implicit target (section 3).
IMPLICIT_TARGET_ROOTS = frozenset({"02", "03", "10", "11", "12", "13"})
# Roots whose actions carry conditions.
CONDITIONED_ROOTS = frozenset({"02", "03", "05", "08", "10", "12", "13"})
# Actions that both sides perform at once: "A met B" is also "B met A".
SYMMETRIC_CODES = frozenset({"040", "041", "044", "046", "057", "0841"})
# Actions that several actors named together direct at one another when the text names no one else:
# "Russia and Ukraine held talks", "Switzerland and Ukraine are ready to organise a summit".
MUTUAL_CODES = SYMMETRIC_CODES | {"036", "037", "0356"}
# Roots of acts that happen (a visit, a signature, a strike) rather than words about them: coded
# only when the text says they happened, not when they are planned or possible.
REALISED_ROOTS = frozenset({"04", "05", "06", "07", "08", "09", "14", "15", "16", "17", "18", "19", "20"})
FORCE_ROOTS = frozenset({"15", "17", "18", "19", "20"})
# Uses of armed force that armies carry out: "Russia struck Odesa" is an act of its military.
MILITARY_ROOTS = frozenset({"18", "19", "20"})
MILITARY_EXCEPT = frozenset({"192"})  # occupation and annexation are decided by governments
# The codebook's implicit target of a negotiation signal: the other warring party's government.
WARRING = {
    "RUS": ResolvedActor(name="Ukraine", code="UKRGOV", country="UKR", role="GOV", qid="Q212", kind="country"),
    "UKR": ResolvedActor(name="Russia", code="RUSGOV", country="RUS", role="GOV", qid="Q159", kind="country"),
}
# Nouns that a country name can label without taking part: "the Ukraine crisis", "the Russia-Ukraine war".
ISSUE_NOUNS = frozenset({"war", "conflict", "crisis", "issue", "question", "settlement", "invasion", "file"})
# Verbs that turn an action noun into the act itself: "issued an ultimatum", "voiced criticism".
LIGHT_VERBS = frozenset({
    "issue", "make", "deliver", "voice", "express", "level", "send", "present", "lodge", "file", "launch", "extend",
    "execute", "conduct", "carry", "complete", "stage", "hold", "have", "repeat", "reiterate", "renew", "echo",
})
# Codes of third-party mediation: with no party named, aimed at both warring parties (codebook section 3).
MEDIATION_CODES = frozenset({"039", "045"})
# Appeals to negotiate, de-escalate or settle: a third party that names no addressee makes them to both
# warring parties (codebook section 3, the implicit target of a negotiation signal).
PEACE_APPEALS = frozenset({"025", "026", "027", "028"})
# Triggers of disapproval that their subject performs ("Kuleba condemned ..."); other 11x triggers
# characterise a party ("Putin has no desire for peace") and are the act of whoever states them.
SPEECH_ACT_LEMMAS = frozenset({
    "criticize", "criticise", "condemn", "denounce", "slam", "blast", "rebuke", "decry", "lambast", "castigate",
    "deplore", "chide", "accuse", "blame", "allege", "accusation", "allegation", "claim", "criticism",
    "condemnation", "denunciation", "describe", "call", "brand", "label", "portray", "disapprove", "oppose",
    "opposition", "protest", "complaint", "complain", "summon", "mock", "ridicule", "concern", "fault", "meet",
    "term", "see", "saw",
})
TALKING_VERBS = frozenset({"speak", "talk", "complain", "tell", "write", "tweet", "post"})
STANCE_NOUNS = frozenset({"insistence", "demand", "statement", "view", "position", "claim", "accusation", "remark", "remarks", "comment"})
PREDICATIVE_DEPS = frozenset({"acomp", "ROOT", "xcomp", "ccomp", "conj", "advcl", "oprd", "relcl", "attr"})
# Modals that make a use of force a threat when a speaker states it ("Russia could strike ...").
THREAT_MODALS = frozenset({"could", "may", "might", "will", "can"})
CONTINUATION_STARTS = ("but", "however", "rather", "only", "and", "instead", "at the same time", "he added", "she added")
ALTERNATIVE_STARTS = ("otherwise", "or else", "if not,", "failing that")
SOURCE_WORDS = ("source", "official", "diplomat", "insider", "aide", "people familiar", "informant")


@dataclass(frozen=True)
class Coding:
    """One action found in one sentence, before mentions of one event are merged."""

    actor: ResolvedActor
    code: str
    target: ResolvedActor | None
    sentence: Sentence
    date: ResolvedDate
    conditions: tuple[FoundCondition, ...]
    attribution: str | None
    confidence: float


def coder_info() -> dict[str, str]:
    """What a release records about the coder that made it."""
    return {
        "coder": CODER_NAME,
        "coder_version": CODER_VERSION,
        "actors_version": default_actors().version,
        "actions_version": default_patterns().version,
        "conditions_version": default_conditions().version,
        "parser_model": nlp.model_version(),
    }


def _names_an_issue(span: SpacySpan, actor: ResolvedActor) -> bool:
    """A country named only to label a war or crisis ("the Ukraine conflict", "the Russia-Ukraine war")
    is no party to the sentence's action: it modifies a noun instead of acting or being acted upon."""
    if actor.kind not in ("country", "metonym"):
        return False
    token = span[-1]
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
        if token.lemma_ in ISSUE_NOUNS:
            return True
    return False


def _actor_spans(doc: Doc, found: list[tuple[int, int, ResolvedActor]]) -> list[ActorSpan]:
    """Align dictionary matches (character offsets) to tokens, and mark them for the `@` pattern element."""
    spans, ents = [], []
    for start, end, actor in found:
        char_span = doc.char_span(start, end, label=ACTOR_LABEL, alignment_mode="expand")
        if char_span is None or any(char_span.start < e.end and e.start < char_span.end for e in ents):
            continue
        if _names_an_issue(char_span, actor):
            continue
        ents.append(char_span)
        spans.append(ActorSpan(char_span.start, char_span.end, actor))
    doc.ents = ents
    return spans


def _select(doc: Doc, matches: list[ActionMatch], actorless=None) -> list[ActionMatch]:
    """Keep the most specific reading of each trigger, and drop actions embedded in a framing one.

    A framing action that no known actor performs ("the report claimed that ...") frames nothing."""
    chosen: list[ActionMatch] = []
    for match in sorted(matches, key=lambda m: m.priority(), reverse=True):
        if any(set(match.words) & set(c.words) and not _coordinated_objects(doc, match, c) for c in chosen):
            continue
        chosen.append(match)
    kept = []
    for match in chosen:
        outer = [
            c for c in chosen
            if c is not match and (c.code[:2] in FRAMING_ROOTS or c.code in FRAMING_CODES)
            and not set(c.words) & set(match.words)  # two readings of one trigger frame each other not
            and not (actorless and actorless(c))
        ]
        if any(embedded_in(doc[match.anchor], frozenset(c.words)) for c in outer):
            continue
        kept.append(match)
    return sorted(kept, key=lambda m: m.anchor)


def _coordinated_objects(doc: Doc, one: ActionMatch, other: ActionMatch) -> bool:
    """"did not agree to a ceasefire and a meeting": one trigger, two coordinated objects, two actions."""
    mine = [doc[i] for i in one.words if i not in other.words]
    theirs = [doc[i] for i in other.words if i not in one.words]
    return any(a.head.i == b.i and a.dep_ == "conj" or b.head.i == a.i and b.dep_ == "conj" for a in mine for b in theirs)


def _bare(actor: ResolvedActor) -> ResolvedActor:
    """A country named as a place, people or territory: its bare code (codebook section 3)."""
    if actor.country and actor.kind in ("country", "metonym"):
        return replace(actor, code=actor.country, role=None)
    return actor


def _military(actor: ResolvedActor, code: str) -> ResolvedActor:
    """A state's government (or its leader) using force acts through its armed forces (codebook section 3:
    armed forces are MIL), so a strike or an offensive by "Russia" or "Putin" is coded as the country's MIL."""
    if code[:2] in MILITARY_ROOTS and code not in MILITARY_EXCEPT and actor.role == "GOV" and actor.country:
        return replace(actor, code=actor.country + "MIL", role="MIL")
    return actor


def _implicit_target(actor: ResolvedActor, code: str) -> ResolvedActor | None:
    return WARRING.get(actor.country or "") if code[:2] in IMPLICIT_TARGET_ROOTS else None


def _attributing(anchor) -> bool:
    """A trigger inside "according to a joint statement" names the source, not an event."""
    token = anchor
    while token.head.i != token.i:
        if token.head.lower_ == "according" or (token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according"):
            return True
        if token.dep_ in ("ccomp", "relcl", "advcl", "conj", "parataxis"):
            return False
        token = token.head
    return False


def _background(anchor) -> bool:
    """A clause of "since ..." dates the sentence by an earlier event ("since Moscow launched the
    invasion"): background narration, not a reported event."""
    token = anchor
    while token.head.i != token.i:
        if any(c.dep_ == "mark" and c.lower_ == "since" for c in token.children):
            return True
        if token.dep_ in ("ccomp", "relcl", "conj", "parataxis"):
            return False
        token = token.head
    return False


def _threat(anchor, code: str) -> str | None:
    """A use of force that a speaker says may come ("Russia could strike the facilities of those
    countries") is a threat of force (138); any other planned or possible act is no event."""
    if code[:2] not in FORCE_ROOTS:
        return None
    if not any(c.dep_ == "aux" and c.lower_ in THREAT_MODALS for c in anchor.children):
        return None
    token = anchor
    while token.head.i != token.i:
        if token.dep_ == "ccomp" and token.head.lemma_ in REPORTING_VERBS | {"warn", "threaten", "vow", "promise"}:
            return "1384" if code[:2] in ("18", "19") else "138"  # a conventional attack, or force at large
        if token.dep_ in ("relcl", "advcl", "acl"):
            return None
        token = token.head
    return None


def _characterised(doc: Doc, anchor, code: str, spans: list[ActorSpan], salience: Salience, roles, refused: bool) -> tuple:
    """"Kuleba said Putin has no desire for peace", "Zelensky insists Russia must withdraw": a party
    described or told what it must do by a speaker is the target of the speaker's criticism or demand,
    not its actor. Verbs of criticism and accusation are acts of their own subject and stay as they are.
    An intent denied to a party by another party ("Kuleba said Russia had no interest in talks") is the
    speaker's criticism (codebook section 1); said by its own side it stays that party's refusal."""
    deontic = code[:2] == "10" and any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in anchor.children)
    if not deontic and not refused and (code[:2] != "11" or anchor.lemma_ in SPEECH_ACT_LEMMAS):
        return roles, [], code
    token = roles.clause
    while token.dep_ not in ("relcl", "advcl") and token.head.i != token.i:
        token = token.head
        framing = token.lemma_ in REPORTING_VERBS | TALKING_VERBS or token.lemma_ in STANCE_NOUNS
        if not framing:
            continue
        above = find_actors(doc, token, spans, salience) if token.pos_ != "NOUN" else _possessor(token, spans)
        if above is None or {a.code for a in above.actors} & {a.code for a in roles.actors}:
            return roles, [], code
        return above, [a for a in roles.actors], ("111" if refused else code)
    return roles, [], code


def _possessor(noun, spans: list[ActorSpan]):
    """"his insistence that ...": the possessor states it."""
    for child in noun.children:
        if child.dep_ == "poss":
            span = next((s for s in spans if s.start <= child.i < s.end), None)
            if span is not None:
                return Roles([span.actor], noun, frozenset(range(span.start, span.end)), True)
    return None


def _visitor(anchor, code: str, spans: list[ActorSpan], roles) -> tuple:
    """"told visiting Chancellor Scholz": the participle's noun is the visitor, the clause's subject the
    host, who is the visit's target."""
    if code != "042" or anchor.lower_ != "visiting" or any(c.dep_ in ("aux", "nsubj") for c in anchor.children):
        return roles, []
    if anchor.dep_ not in ("amod", "xcomp", "compound", "acl") or anchor.i == 0 or anchor.nbor(-1).lemma_ == "be":
        return roles, []
    # the participle stands before its noun ("visiting Chancellor Scholz"), whatever the parser made of it
    visitor = next((s for s in spans if s.start <= anchor.i + 1 < s.end or s.start <= anchor.head.i < s.end and anchor.dep_ == "amod"), None)
    if visitor is None or visitor.actor in roles.actors:
        return roles, []
    return replace(roles, actors=[visitor.actor]), list(roles.actors)


def _attribution(sentence: Sentence) -> str | None:
    lower = sentence.text.lower()
    at = lower.find("according to ")
    if at >= 0:
        tail = sentence.text[at + len("according to ") :]
        return tail.split(",")[0].split(".")[0].strip() or None
    for word in SOURCE_WORDS:
        if word in lower and (" said" in lower or " told" in lower or " say" in lower):
            start = lower.find(word)
            left = sentence.text.rfind(" ", 0, max(0, start - 1))
            left = sentence.text.rfind(" ", 0, max(0, left))
            return sentence.text[left + 1 : start + len(word) + 1].strip(" ,") or None
    return None


def _nearest_date(sentence: Sentence, anchor: Token, published: dt.date, code: str) -> ResolvedDate:
    """The sentence's date cue nearest the trigger; an event reported as having happened is never
    after publication, so a future cue ("next week") is no event date and an interval is capped.

    A cue is left out when it is the document's dateline, when it states the start or time limit of what
    a statement proposes ("a truce from Monday", "a meeting by the end of the month"), or when the parse
    ties it to another occasion ("after the congress in October", "a leader who met him in May").
    A cue in the trigger's own clause wins over one in another clause; then the nearest."""
    text = sentence.text
    statement = code[:2] not in REALISED_ROOTS
    ranked = []
    for found in find_dates(text, published):
        if found.resolved.start > published or is_dateline(text, found) or (statement and is_term(text, found)):
            continue
        rank = _date_cue_rank(anchor, found)
        if rank is not None:
            distance = min(abs(found.start - anchor.idx), abs(found.end - anchor.idx))
            ranked.append((rank, distance, found.start, found))
    if not ranked:
        return fallback_date(published)
    best = min(ranked, key=lambda r: r[:3])[3].resolved
    return replace(best, end=min(best.end, published))


def _kept_conditions(code: str, conditions: tuple[FoundCondition, ...], anchor: Token) -> tuple[FoundCondition, ...]:
    """The terms of a sentence that an action carries: actions of CONDITIONED_ROOTS, and reductions of
    relations (root 16: sanctions, embargoes), whose terms say when they take effect. A term stated in a
    relative clause on a named party, away from the trigger, is that party's stance ("urged them to
    talk to Kyiv, which refuses talks until Russian troops pull back"), not the actor's; a relative
    clause on the talks themselves ("ready for talks, which are based on ...") states the actor's terms."""
    if not conditions or (code[:2] not in CONDITIONED_ROOTS and code[:2] != "16"):
        return ()
    return tuple(
        c for c in conditions if _admissible(code, c.category) and not _in_other_relative_clause(anchor, c)
    )


def _in_other_relative_clause(anchor: Token, found: FoundCondition) -> bool:
    span = anchor.doc.char_span(found.start, found.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    for token in [span.root, *span.root.ancestors]:
        if token.dep_ == "relcl":
            described = token.head
            return described.ent_type_ != "" and not (token.left_edge.i <= anchor.i <= token.right_edge.i)
    return False


def _admissible(code: str, category: str) -> bool:
    """A term that restates the action is no condition of it (the sanctions of a threat of sanctions
    or of an embargo), and the start or time limit of a proposal an actor rejects (12x) is the
    proposer's term, not the rejecter's."""
    if category == "sanctions" and (code.startswith("131") or code[:2] == "16"):
        return False
    return not (category == "deadline" and code[:2] == "12")


# Prepositions that tie a date to another occasion than the event: "after the congress in October".
ANCHORING_PREPOSITIONS = frozenset({"after", "following", "since", "before", "ahead", "prior", "amid"})


def _date_cue_rank(anchor: Token, found: DateMention) -> int | None:
    """0 when a date cue belongs to the trigger's clause (it hangs off the trigger or a word above it,
    such as the verb of saying), 1 when it sits in another clause, None when the parse ties it to
    another occasion: through an anchoring preposition or inside a relative clause."""
    doc = anchor.doc
    span = doc.char_span(found.start, found.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return 1
    above = {anchor.i} | {t.i for t in anchor.ancestors}
    token, other_clause = span.root, False
    while token.i not in above:
        if token.i not in range(span.start, span.end):
            if token.dep_ == "relcl" or (token.dep_ == "prep" and token.lower_ in ANCHORING_PREPOSITIONS):
                return None
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
                other_clause = True
        if token.head.i == token.i:
            return 1
        token = token.head
    return 1 if other_clause else 0


class Coder:
    """The rule-based coder over the bundled dictionaries."""

    def __init__(
        self,
        actors: ActorDictionary | None = None,
        patterns: ActionPatterns | None = None,
        conditions: ConditionLexicon | None = None,
    ) -> None:
        self.actors = actors or default_actors()
        self.patterns = patterns or default_patterns()
        self.conditions = conditions or default_conditions()

    def _resolved(self, sentence: Sentence, on: dt.date) -> list[tuple[int, int, ResolvedActor]]:
        found = []
        for match in self.actors.find(sentence.text):
            actor = self.actors.resolve(match.entry_id, on)
            if actor is not None:
                found.append((match.start, match.end, actor))
        return found

    def code_documents(self, documents: Sequence[tuple[tuple[Sentence, ...], dt.date]]) -> list[list[Coding]]:
        """Code several documents, given as (sentences, publication date), with one parser batch.

        Only sentences that could trigger a pattern, report speech (whose speaker later pronouns
        refer to) or state terms (which may continue a statement) are parsed; the rest are only
        tokenized, at a small fraction of the cost. Parsing the candidates of many documents in
        one batch keeps the parser's matrices full.
        """
        forms = _parse_forms(self.patterns)
        conditions = [[tuple(self.conditions.find(s.text)) for s in sentences] for sentences, _ in documents]
        docs = [[nlp.tokens(s.text) for s in sentences] for sentences, _ in documents]
        wanted = [
            (d, i)
            for d, sentence_docs in enumerate(docs)
            for i, doc in enumerate(sentence_docs)
            if conditions[d][i] or not forms.isdisjoint(token.lower_ for token in doc)
        ]
        for (d, i), parsed in zip(wanted, nlp.parse_all([docs[d][i] for d, i in wanted]), strict=True):
            docs[d][i] = parsed
        return [
            self.code_sentences(sentences, published, docs[d], conditions[d])
            for d, (sentences, published) in enumerate(documents)
        ]

    def code_sentences(
        self,
        sentences: tuple[Sentence, ...],
        published: dt.date,
        docs: list[Doc],
        conditions_of: list[tuple[FoundCondition, ...]],
    ) -> list[Coding]:
        """Code one document's sentences in order, given their parses and the conditions each states."""
        resolved = [self._resolved(s, published) for s in sentences]
        salience = Salience()
        codings: list[Coding] = []
        previous: list[Coding] = []
        for sentence, found, doc, conditions in zip(sentences, resolved, docs, conditions_of, strict=True):
            spans = _actor_spans(doc, found)
            salience.current_speaker = speaker_of(doc, spans, salience)
            current = self._code_sentence(doc, sentence, spans, salience, conditions, published)
            if previous and _is_alternative(sentence):
                current = _aimed_as_before(current, previous)
                codings.extend(_with_terms(previous, conditions, sentence))
            elif not current and previous and conditions and _continues(sentence, doc):
                codings.extend(
                    replace(c, conditions=c.conditions + conditions, sentence=sentence)
                    for c in previous if c.code[:2] in CONDITIONED_ROOTS
                )
            codings.extend(current)
            if current:
                previous = current
            self._update_salience(salience, spans, current)
        codings += self._carried_terms(sentences, codings, conditions_of, published)
        return self._dated_from_context(sentences, codings, resolved, published)

    def _carried_terms(
        self,
        sentences: tuple[Sentence, ...],
        codings: list[Coding],
        conditions_of: list[tuple[FoundCondition, ...]],
        published: dt.date,
    ) -> list[Coding]:
        """The terms stated by uncoded sentences that go on with a coded statement (etl.conditions.continuation):
        "... issued an ultimatum to Kyiv." + "'Our proposals for the demilitarisation ...,' TASS quoted Lavrov
        as saying." A continuation that names its speaker carries its terms to that actor's codings of the
        last few sentences; one that names no one new ("he said", "the ministry said", "The proposal ...")
        to the codings of the nearest statement before it that can carry terms."""
        order = {s.start: i for i, s in enumerate(sentences)}
        coded: dict[int, list[Coding]] = {}
        for coding in codings:
            if _carries_terms(coding):
                coded.setdefault(order.get(coding.sentence.start, -1), []).append(coding)
        if not coded:
            return []
        carried: list[Coding] = []
        for index, sentence in enumerate(sentences):
            if index in coded:
                continue
            before = [i for i in range(index - CONTINUATION_REACH, index) if i in coded]
            if not before:
                continue
            going_on = continuation(sentence.text)
            if going_on is None:
                continue
            found = conditions_of[index]
            if not found:
                continue
            named = []
            if going_on.speaker is not None:
                named = [
                    actor for m in self.actors.find(going_on.speaker)
                    if (actor := self.actors.resolve(m.entry_id, published)) is not None
                ]
            window = [c for i in before for c in coded[i]]
            if named:
                # the named person's own codings, else those of the party they speak for
                statement = [c for c in window if c.actor.name in {a.name for a in named}]
                statement = statement or [c for c in window if c.actor.code in {a.code for a in named}]
            elif going_on.generic:
                # the speakers of the nearest statement, in every sentence of the window
                speakers = {c.actor.code for c in coded[before[-1]]}
                statement = [c for c in window if c.actor.code in speakers]
            else:
                continue
            for coding in statement:
                kept = tuple(f for f in found if _admissible(coding.code, f.category))
                if kept:
                    carried.append(replace(coding, sentence=sentence, conditions=kept))
        return carried

    def _dated_from_context(
        self,
        sentences: tuple[Sentence, ...],
        codings: list[Coding],
        resolved: list[list[tuple[int, int, ResolvedActor]]],
        published: dt.date,
    ) -> list[Coding]:
        """Codings whose sentence has no date cue take the date of the nearest sentence that names the same
        actor with a date ("Biden, speaking Monday, ..." before "'...,' Biden said"), else the date of the
        article's lead (etl.dates.lead_date), when that date lies in the week before publication. A date
        outside that week is never carried, so an undated report is at worst dated inside the codebook's
        fallback week."""
        fallback = fallback_date(published)
        if all(c.date != fallback for c in codings):
            return codings
        order = {s.start: i for i, s in enumerate(sentences)}
        # actor code -> (sentence index, 0 for a coding's own date and 1 for a sentence naming the actor, date)
        dated: dict[str, list[tuple[int, int, ResolvedDate]]] = {}
        for coding in codings:
            if coding.date != fallback and in_news_week(coding.date, published):
                dated.setdefault(coding.actor.code, []).append((order.get(coding.sentence.start, 0), 0, coding.date))
        for index, sentence in enumerate(sentences):
            cues = [
                m for m in find_dates(sentence.text, published)
                if in_news_week(m.resolved, published) and not is_dateline(sentence.text, m) and not is_term(sentence.text, m)
            ]
            if not cues:
                continue
            date = replace(cues[0].resolved, end=min(cues[0].resolved.end, published))
            for _, _, actor in resolved[index]:
                dated.setdefault(actor.code, []).append((index, 1, date))
        opening = [i for i, s in enumerate(sentences) if len(s.text.split()) >= LEAD_MIN_WORDS][:LEAD_SENTENCES]
        lead = lead_date([sentences[i].text for i in opening], published)
        lead_at, lead_on = (opening[lead[0]], lead[1]) if lead else (None, None)
        out = []
        for coding in codings:
            if coding.date == fallback:
                # never a cue of the coding's own sentence: _nearest_date has judged those ("after the summit on Tuesday")
                here = order.get(coding.sentence.start, 0)
                same_actor = [d for d in dated.get(coding.actor.code, []) if d[0] != here]
                if same_actor:
                    # the nearest; of two as near, a coded statement, then the earlier sentence
                    coding = replace(coding, date=min(same_actor, key=lambda d: (abs(d[0] - here), d[1], d[0]))[2])
                elif lead_on is not None and lead_at != here:
                    coding = replace(coding, date=lead_on)
            out.append(coding)
        return out


    @staticmethod
    def _update_salience(salience: Salience, spans: list[ActorSpan], codings: list[Coding]) -> None:
        salience.mention([s.actor for s in spans])
        people = [s.actor for s in spans if s.actor.kind == "person"]
        if people:
            salience.last_person = people[-1]
        group = tuple(dict.fromkeys(c.actor for c in codings))
        if len(group) > 1:
            salience.last_group = group
        if salience.current_speaker:
            salience.last_speaker = salience.current_speaker

    def _code_sentence(
        self,
        doc: Doc,
        sentence: Sentence,
        spans: list[ActorSpan],
        salience: Salience,
        conditions: tuple[FoundCondition, ...],
        published: dt.date,
    ) -> list[Coding]:
        codings = []
        found = [m for m in self.patterns.find(doc) if not _nominal(doc, m)]
        actorless = lambda m: find_actors(doc, doc[m.anchor], spans, salience) is None  # noqa: E731
        for match in _select(doc, found, actorless):
            anchor = doc[match.anchor]
            if is_hypothetical(anchor) or _attributing(anchor) or _background(anchor):
                continue
            code = match.code
            if code[:2] in REALISED_ROOTS and is_unrealised(anchor):
                code = _threat(anchor, code)
                if code is None:
                    continue
            refused = False
            if not match.negative and is_negated(doc, anchor):
                if match.negated_code is None:
                    continue
                code, refused = match.negated_code, match.code[:2] == "03"
            roles = find_actors(doc, anchor, spans, salience)
            if roles is None:
                continue
            if code[:2] in FORCE_ROOTS and roles.crossed and roles.clause.lemma_ in REPORTING_VERBS:
                continue  # "the Russians are hitting the port, Yermak said": the speaker strikes no one
            roles, hosts = _visitor(anchor, code, spans, roles)
            if not hosts:
                roles, hosts, code = _characterised(doc, anchor, code, spans, salience, roles, refused)
            force = code[:2] in FORCE_ROOTS
            targets = find_targets(doc, anchor, match.start, match.end, roles, spans, keep_places=force)
            date = _nearest_date(sentence, anchor, published, code)
            kept_conditions = _kept_conditions(code, conditions, anchor)
            attribution = _attribution(sentence)
            reciprocal = len(roles.actors) > 1 and _reciprocal(doc)
            actors = [_military(a, code) for a in roles.actors]
            own = {a.code for a in roles.actors} | {a.code for a in actors}
            for actor in actors:
                aimed = [
                    (_bare(span.actor) if (place or force) else span.actor)
                    for span, place in targets
                    if span.actor.code not in own
                ]
                if hosts:
                    aimed = hosts
                if reciprocal or (not aimed and len(actors) > 1 and (code in MUTUAL_CODES or roles.pair)):
                    aimed = [other for other in actors if other.code != actor.code]
                implicit = not aimed
                if implicit and (code in MEDIATION_CODES or code[:3] in PEACE_APPEALS) and actor.country not in WARRING:
                    aimed = list(WARRING.values())  # a third party mediates between the warring parties
                elif implicit:
                    target = _implicit_target(actor, code)
                    aimed = [_bare(target) if (target and force) else target]
                confidence = 0.8 if roles.via_subject else 0.55
                confidence -= 0.1 if implicit else 0.0
                for target in aimed:
                    codings.append(Coding(actor, code, target, sentence, date, kept_conditions, attribution, round(confidence, 2)))
                    if code in SYMMETRIC_CODES and target is not None and target.role is not None:
                        codings.append(Coding(target, code, actor, sentence, date, kept_conditions, attribution, round(confidence - 0.1, 2)))
        return codings


@cache
def _parse_forms(patterns: ActionPatterns) -> frozenset[str]:
    """Surface words that make a sentence worth parsing: forms of trigger lemmas and of reporting verbs."""
    return nlp.surface_forms(patterns.trigger_words | REPORTING_VERBS | {"according"})


def _reciprocal(doc: Doc) -> bool:
    """"Russia and Ukraine accused each other": each actor is the other's target."""
    text = doc.text.lower()
    return "each other" in text or "one another" in text


def _nominal(doc: Doc, match: ActionMatch) -> bool:
    """A match of nouns alone ("the attack on Kyiv", "talks with Moscow") names an event in passing,
    as background narration does; a reported event has a verb or predicate ("launched", "ready"), or
    a light verb that makes the noun the act ("issued an ultimatum", "made an appeal")."""
    if any(_predicates(doc[i]) for i in match.words):
        return False
    for i in dict.fromkeys((match.anchor, *match.words)):
        noun = doc[i]
        while noun.dep_ in ("compound", "amod") and noun.head.i != noun.i:
            noun = noun.head
        if noun.dep_ in ("attr", "ROOT"):
            return False  # a predicate noun states the act: "these are legitimate targets"
        if noun.dep_ == "dobj" and noun.head.lemma_ in LIGHT_VERBS:
            return False
        if match.code[:2] == "04" and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "at"):
            return False  # "pressed Putin at their meeting", "said so during a call with Meloni": it took place
    return True


def _predicates(token) -> bool:
    """Whether a word of a match states the act rather than naming it: a verb or predicate adjective,
    not an attribute ("invading forces", "a mediated peace", "nuclear threats") nor a gerund that
    completes a noun ("the start time of halting strikes")."""
    if token.pos_ not in ("VERB", "AUX", "ADJ"):
        return False
    if token.dep_ in ("amod", "compound"):
        return False
    if token.pos_ == "ADJ" and token.dep_ not in PREDICATIVE_DEPS:
        return False  # "Ukraine's failed offensive": an adjective inside a noun phrase
    if token.tag_ == "VBG" and token.dep_ == "pcomp" and token.head.head.pos_ in ("NOUN", "PROPN"):
        return False
    return True


def _is_alternative(sentence: Sentence) -> bool:
    """"Otherwise, ..." states what follows if the previous sentence's demand is refused."""
    return sentence.text.lower().lstrip("\"“'‘ ").startswith(ALTERNATIVE_STARTS)


def _aimed_as_before(current: list[Coding], previous: list[Coding]) -> list[Coding]:
    """A threat that says what happens "otherwise" is aimed at whom the previous demand addressed."""
    targets = {c.actor.code: c.target for c in previous if c.target is not None}
    return [replace(c, target=targets[c.actor.code]) if c.target is None and c.actor.code in targets else c for c in current]


def _with_terms(previous: list[Coding], conditions: tuple[FoundCondition, ...], sentence: Sentence) -> list[Coding]:
    """The previous demand with the terms that its "otherwise" sentence states (the sanctions threatened)."""
    if not conditions:
        return []
    return [replace(c, conditions=c.conditions + conditions, sentence=sentence) for c in previous if c.code[:2] in CONDITIONED_ROOTS]


def _continues(sentence: Sentence, doc: Doc) -> bool:
    """Whether a sentence goes on with the previous statement (so its terms belong to it)."""
    lower = sentence.text.lower().lstrip("\"“'‘ ")
    return lower.startswith(CONTINUATION_STARTS) or any(t.lower_ in ("he", "she", "we") and t.dep_ == "nsubj" for t in doc)


def _mention_id(doc_id: str, coding_key: tuple, start: int) -> str:
    text = "|".join([doc_id, *map(str, coding_key), str(start)])
    return "mn_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _merge(loaded: LoadedDocument, codings: list[Coding], published: dt.date) -> list[EventMention]:
    """One mention per (actor, action, target, occasion) in the document (codebook section 1)."""
    fallback = fallback_date(published)
    groups: dict[tuple, list[list[Coding]]] = {}
    for coding in codings:
        key = (coding.actor.code, coding.code, coding.target.code if coding.target else None)
        clusters = groups.setdefault(key, [])
        dated = coding.date != fallback
        for cluster in clusters:
            cluster_dates = {c.date for c in cluster if c.date != fallback}
            if not dated or not cluster_dates or coding.date in cluster_dates:
                cluster.append(coding)
                break
        else:
            clusters.append([coding])
    mentions = []
    for key, clusters in groups.items():
        for cluster in clusters:
            mentions.append(_mention(loaded, key, cluster, fallback))
    return sorted(mentions, key=lambda m: (m.evidence[0].start, m.mention_id))


# How many sentences after a coded one a continuation of its statement may stand.
CONTINUATION_REACH = 3


def _carries_terms(coding: Coding) -> bool:
    return coding.code[:2] in CONDITIONED_ROOTS or coding.code[:2] == "16"


# Opening sentences of a document that its lead date is read from (a headline, the lede), counting
# only lines of some words, not menu items or bylines.
LEAD_SENTENCES = 4
LEAD_MIN_WORDS = 5


def _mention(loaded: LoadedDocument, key: tuple, cluster: list[Coding], fallback: ResolvedDate) -> EventMention:
    document = loaded.document
    first = cluster[0]
    dated = [c.date for c in cluster if c.date != fallback]
    date = dated[0] if dated else fallback
    evidence = sorted({(c.sentence.start, c.sentence.end, c.sentence.text) for c in cluster})
    conditions: dict[str, Condition] = {}
    for coding in cluster:
        for found in coding.conditions:
            if _admissible(coding.code, found.category):
                conditions.setdefault(found.category, Condition(category=found.category, text=found.text))
    action = lookup(first.code)
    actor, target = first.actor, first.target
    return EventMention(
        mention_id=_mention_id(document.doc_id, key + (date.start.isoformat(),), evidence[0][0]),
        event_id=None,
        doc_id=document.doc_id,
        actor_name=actor.name,
        actor_code=actor.code,
        actor_country=actor.country,
        actor_role=actor.role,
        actor_id=actor.qid,
        action_code=action.code,
        action_root=action.root,
        action_label=action.label,
        quad_class=action.quad_class,
        goldstein=action.goldstein,
        plover_type=action.plover_type,
        plover_mode=action.plover_mode,
        target_name=target.name if target else None,
        target_code=target.code if target else None,
        target_country=target.country if target else None,
        target_role=target.role if target else None,
        target_id=target.qid if target else None,
        conditions=sorted(conditions.values(), key=lambda c: c.category),
        event_date=date.start,
        event_date_end=date.end,
        date_precision=date.precision,
        date_text=date.text,
        attribution=next((c.attribution for c in cluster if c.attribution), None),
        confidence=max(c.confidence for c in cluster),
        source_name=document.source_name,
        source_url=document.source_url,
        source_published=document.source_published,
        evidence=[Span(start=s, end=e, text=t) for s, e, t in evidence],
    )


def extract_batch(batch: Sequence[LoadedDocument], *, today: dt.date | None = None) -> list[list[EventMention]]:
    """Code documents together (one parser batch); each document's mentions, in the batch's order.

    A document's mentions do not depend on the others in its batch, so any split of a corpus
    into batches gives the same output. Without a publication date, dates resolve against `today`.
    """
    dates = [loaded.document.source_published or today or dt.date.today() for loaded in batch]
    codings = Coder().code_documents([(loaded.sentences, published) for loaded, published in zip(batch, dates, strict=True)])
    return [_merge(loaded, coded, published) for loaded, coded, published in zip(batch, codings, dates, strict=True)]


def extract_mentions(loaded: LoadedDocument, *, today: dt.date | None = None) -> list[EventMention]:
    """Code one document."""
    return extract_batch([loaded], today=today)[0]
