"""The default coder: one cleaned, segmented document in, its event mentions out.

Deterministic by construction (dictionaries, patterns and a fixed parser model; no
randomness, no clock), so a release can be rebuilt byte for byte. The coder is the one
function `extract_mentions`; a learned or remote coder can stand beside it with the same
signature and be scored by the same scorer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span as SpacySpan

from etl import nlp
from etl.actors import ActorDictionary, ResolvedActor, default_actors
from etl.codes import lookup
from etl.conditions import ConditionLexicon, FoundCondition, default_conditions
from etl.dates import ResolvedDate, fallback_date, find_dates
from etl.documents import LoadedDocument
from etl.models import Condition, EventMention, Span
from etl.patterns import ACTOR_LABEL, ActionMatch, ActionPatterns, default_patterns
from etl.roles import (
    ActorSpan,
    Salience,
    find_actors,
    find_targets,
    embedded_in,
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
FRAMING_ROOTS = frozenset({"01", "10", "11", "12", "13"})
FRAMING_CODES = frozenset({"051", "052"})
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
LIGHT_VERBS = frozenset({"issue", "make", "deliver", "voice", "express", "level", "send", "present", "lodge", "file", "launch", "extend"})
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


def _select(doc: Doc, matches: list[ActionMatch]) -> list[ActionMatch]:
    """Keep the most specific reading of each trigger, and drop actions embedded in a framing one."""
    chosen: list[ActionMatch] = []
    for match in sorted(matches, key=lambda m: m.priority(), reverse=True):
        if any(match.anchor in c.words or c.anchor in match.words for c in chosen):
            continue
        chosen.append(match)
    kept = []
    for match in chosen:
        outer = [c for c in chosen if c is not match and (c.code[:2] in FRAMING_ROOTS or c.code in FRAMING_CODES)]
        if any(embedded_in(doc[match.anchor], frozenset(c.words)) for c in outer):
            continue
        kept.append(match)
    return sorted(kept, key=lambda m: m.anchor)


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


def _nearest_date(sentence: Sentence, anchor_offset: int, published: dt.date) -> ResolvedDate:
    """The sentence's date cue nearest the trigger; an event reported as having happened is never
    after publication, so a future cue ("next week") is no event date and an interval is capped."""
    found = [d for d in find_dates(sentence.text, published) if d.resolved.start <= published]
    if not found:
        return fallback_date(published)
    best = min(found, key=lambda d: min(abs(d.start - anchor_offset), abs(d.end - anchor_offset))).resolved
    return replace(best, end=min(best.end, published))


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

    def code_sentences(self, sentences: tuple[Sentence, ...], published: dt.date) -> list[Coding]:
        resolved = [self._resolved(s, published) for s in sentences]
        docs = nlp.parse_all([s.text for s in sentences])
        salience = Salience()
        codings: list[Coding] = []
        previous: list[Coding] = []
        for sentence, found, doc in zip(sentences, resolved, docs, strict=True):
            spans = _actor_spans(doc, found)
            salience.current_speaker = speaker_of(doc, spans, salience)
            conditions = tuple(self.conditions.find(sentence.text))
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
        return codings

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
        for match in _select(doc, [m for m in self.patterns.find(doc) if not _nominal(doc, m)]):
            anchor = doc[match.anchor]
            if is_hypothetical(anchor) or (match.code[:2] in REALISED_ROOTS and is_unrealised(anchor)):
                continue
            code = match.code
            if not match.negative and is_negated(doc, anchor):
                if match.negated_code is None:
                    continue
                code = match.negated_code
            roles = find_actors(doc, anchor, spans, salience)
            if roles is None:
                continue
            force = code[:2] in FORCE_ROOTS
            targets = find_targets(doc, anchor, match.start, match.end, roles, spans, keep_places=force)
            date = _nearest_date(sentence, anchor.idx, published)
            kept_conditions = conditions if code[:2] in CONDITIONED_ROOTS else ()
            attribution = _attribution(sentence)
            reciprocal = len(roles.actors) > 1 and _reciprocal(doc)
            actors = [_military(a, code) for a in roles.actors]
            for actor in actors:
                aimed = [
                    (_bare(span.actor) if (place or force) else span.actor)
                    for span, place in targets
                    if span.actor.code != actor.code
                ]
                if reciprocal or (not aimed and len(actors) > 1 and (code in MUTUAL_CODES or roles.pair)):
                    aimed = [other for other in actors if other.code != actor.code]
                implicit = not aimed
                if implicit:
                    target = _implicit_target(actor, code)
                    aimed = [_bare(target) if (target and force) else target]
                confidence = 0.8 if roles.via_subject else 0.55
                confidence -= 0.1 if implicit else 0.0
                for target in aimed:
                    codings.append(Coding(actor, code, target, sentence, date, kept_conditions, attribution, round(confidence, 2)))
                    if code in SYMMETRIC_CODES and target is not None and target.role is not None:
                        codings.append(Coding(target, code, actor, sentence, date, kept_conditions, attribution, round(confidence - 0.1, 2)))
        return codings


def _reciprocal(doc: Doc) -> bool:
    """"Russia and Ukraine accused each other": each actor is the other's target."""
    text = doc.text.lower()
    return "each other" in text or "one another" in text


def _nominal(doc: Doc, match: ActionMatch) -> bool:
    """A match of nouns alone ("the attack on Kyiv", "talks with Moscow") names an event in passing,
    as background narration does; a reported event has a verb or predicate ("launched", "ready"), or
    a light verb that makes the noun the act ("issued an ultimatum", "made an appeal")."""
    if any(doc[i].pos_ in ("VERB", "AUX", "ADJ") for i in match.words):
        return False
    anchor = doc[match.anchor]
    return not (anchor.dep_ == "dobj" and anchor.head.lemma_ in LIGHT_VERBS)


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


def _mention(loaded: LoadedDocument, key: tuple, cluster: list[Coding], fallback: ResolvedDate) -> EventMention:
    document = loaded.document
    first = cluster[0]
    dated = [c.date for c in cluster if c.date != fallback]
    date = dated[0] if dated else fallback
    evidence = sorted({(c.sentence.start, c.sentence.end, c.sentence.text) for c in cluster})
    conditions: dict[str, Condition] = {}
    for coding in cluster:
        for found in coding.conditions:
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


def extract_mentions(loaded: LoadedDocument, *, today: dt.date | None = None) -> list[EventMention]:
    """Code one document. Without a publication date, dates resolve against `today`."""
    published = loaded.document.source_published or today or dt.date.today()
    codings = Coder().code_sentences(loaded.sentences, published) if loaded.sentences else []
    return _merge(loaded, codings, published)
