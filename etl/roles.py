"""Who acts and who is acted upon: roles read off the dependency parse of one sentence.

Reported speech is the norm in news: "Peskov said Russia is ready to talk" is an act of
Russia, "Kuleba said Putin has no desire for peace" an act of Kuleba. Walking up from the
action's trigger to the first clause whose subject is a known actor gives the right
reading in both cases; pronouns are resolved against the salient actors of the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from etl.actors import ResolvedActor

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
CLAUSE_BOUNDARY_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj"})
COMPLEMENT_DEPS = frozenset({"pcomp", "pobj", "dobj", "xcomp", "ccomp"})
CIRCUMSTANCE_PREPS = frozenset({"at", "during", "after", "before", "amid", "following", "ahead", "on", "in", "while"})
PLACE_PREPS = frozenset({"in", "at", "into", "across", "inside", "throughout", "near", "from", "during", "within"})
REPORTING_VERBS = frozenset({
    "say", "tell", "add", "state", "declare", "stress", "emphasize", "emphasise", "note", "write", "announce",
    "claim", "warn", "insist", "argue", "explain", "reiterate", "assert", "comment", "respond", "reply",
    "confirm", "signal", "suggest", "indicate", "post", "tweet",
})
# Things sent by a party: "a proposal from France", "a call from Washington".
SENT_NOUNS = frozenset({
    "proposal", "offer", "plan", "initiative", "call", "invitation", "request", "demand", "message", "letter",
    "appeal", "idea", "draft", "ultimatum", "delegation", "envoy", "pressure", "threat",
})
# Nouns that, counted as two or both, refer back to two parties: "the two leaders", "both sides".
PAIR_NOUNS = frozenset({"leader", "side", "country", "nation", "delegation", "party", "president", "government", "minister", "state"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
SPEAKER_PRONOUNS = frozenset({"we", "i", "us", "me"})
QUOTES = "\"“”«»"


@dataclass(frozen=True)
class ActorSpan:
    """A dictionary actor found in the sentence, aligned to the parse's tokens."""

    start: int  # first token
    end: int  # one past the last token
    actor: ResolvedActor


@dataclass
class Salience:
    """What earlier sentences make a pronoun refer to."""

    last_person: ResolvedActor | None = None
    last_speaker: ResolvedActor | None = None
    current_speaker: ResolvedActor | None = None
    last_group: tuple[ResolvedActor, ...] = ()
    recent: tuple[ResolvedActor, ...] = ()  # actors named so far, the most recent last, each once

    def mention(self, actors: list[ResolvedActor]) -> None:
        """Record actors named in a sentence, so that "the two sides" can refer to the last two."""
        for actor in actors:
            self.recent = tuple(a for a in self.recent if a.code != actor.code) + (actor,)


def is_pair(subject: Token) -> bool:
    """"the two leaders", "both sides", "both": a pair named before."""
    if subject.lower_ == "both":
        return True
    return subject.lemma_ in PAIR_NOUNS and any(c.lower_ in ("two", "both") for c in subject.children)


def _pair(doc: Doc, subject: Token, spans: list[ActorSpan], salience: Salience) -> list[ResolvedActor]:
    """The last two distinct parties named before the subject, in this sentence or earlier ones."""
    named = list(salience.recent) + [s.actor for s in spans if s.end <= subject.i]
    pair: list[ResolvedActor] = []
    for actor in reversed(named):
        if actor.role in ("GOV", "MIL", "IGO") and all(a.country != actor.country for a in pair):
            pair.insert(0, actor)
        if len(pair) == 2:
            return pair
    return []


def span_at(spans: list[ActorSpan], token: Token) -> ActorSpan | None:
    for span in spans:
        if span.start <= token.i < span.end:
            return span
    return None


def in_quotes(doc: Doc, token: Token) -> bool:
    """Whether the token stands inside quotation marks (counting marks before it in the sentence)."""
    return sum(doc.text[: token.idx].count(q) for q in QUOTES) % 2 == 1


def _subject_tokens(subject: Token) -> list[Token]:
    """The subject and the subjects coordinated with it ("Macron, Starmer and Merz")."""
    tokens, stack = [], [subject]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(c for c in token.children if c.dep_ == "conj")
    return sorted(tokens, key=lambda t: t.i)


def _actors_in(phrase_head: Token, spans: list[ActorSpan]) -> list[ActorSpan]:
    """Actors that a noun phrase denotes: the head's own, else its appositions ("the three of them,
    Macron, Starmer and Merz"), else a compound, modifier or possessor."""
    own = span_at(spans, phrase_head)
    if own:
        return [own]
    appositions = []
    for child in phrase_head.children:
        if child.dep_ == "appos":
            for token in _subject_tokens(child):
                found = span_at(spans, token) or next(iter(_actors_in(token, spans)), None)
                if found and found not in appositions:
                    appositions.append(found)
    if appositions:
        return appositions
    for deps in (("compound", "amod", "nmod"), ("poss",), ("prep", "pobj", "acl")):
        for child in phrase_head.children:
            if child.dep_ in deps:
                for token in child.subtree:
                    found = span_at(spans, token)
                    if found:
                        return [found]
    return []


def speaker_of(doc: Doc, spans: list[ActorSpan], salience: Salience) -> ResolvedActor | None:
    """The actor a sentence reports the words of: subject of a reporting verb, or 'according to X'."""
    for token in doc:
        if token.lemma_ in REPORTING_VERBS and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS and not in_quotes(doc, child):
                    resolved = resolve_subject(doc, child, spans, salience)
                    if resolved:
                        return resolved[0]
        if token.lower_ == "according" and token.i + 2 <= len(doc):
            for t in doc[token.i + 1 : min(len(doc), token.i + 8)]:
                found = span_at(spans, t)
                if found:
                    return found.actor
    return None


def resolve_subject(doc: Doc, subject: Token, spans: list[ActorSpan], salience: Salience) -> list[ResolvedActor]:
    """The actors a subject denotes; pronouns through salience; [] when it is no known actor.

    "he"/"she" is first the nearest person named earlier in the same sentence ("Putin said
    that he ..."), else the last person of the text; "they" the last group of actors.
    """
    lower = subject.lower_
    if lower in PERSON_PRONOUNS:
        earlier = [s for s in spans if s.end <= subject.i and s.actor.kind == "person"]
        # a subject is the likelier antecedent ("Zelensky met Amherd before he travelled on")
        subjects = [s for s in earlier if doc[s.end - 1].dep_ in SUBJECT_DEPS]
        person = (subjects or earlier)[-1].actor if earlier else salience.last_person
        return [person] if person else []
    if lower in SPEAKER_PRONOUNS:
        speaker = salience.current_speaker or salience.last_speaker
        return [speaker] if speaker else []
    if lower == "they":
        return list(salience.last_group)
    if is_pair(subject):
        return _pair(doc, subject, spans, salience)
    if subject.tag_ in ("WDT", "WP") and subject.head.dep_ == "relcl":
        return [span.actor for span in _actors_in(subject.head.head, spans)]
    actors: list[ResolvedActor] = []
    for token in _subject_tokens(subject):
        for span in _actors_in(token, spans):
            if span.actor not in actors:
                actors.append(span.actor)
    return actors


@dataclass(frozen=True)
class Roles:
    actors: list[ResolvedActor]
    clause: Token  # the token whose subject gave the actor
    subject_tokens: frozenset[int]
    via_subject: bool
    pair: bool = False  # the subject is "the two sides": each acts towards the other
    crossed: bool = False  # the walk passed a clause whose own subject is no known actor


def find_actors(doc: Doc, anchor: Token, spans: list[ActorSpan], salience: Salience) -> Roles | None:
    """Walk up from the trigger to the first clause whose subject (or passive agent) is a known actor."""
    token, saw_subject = anchor, False
    while True:
        for child in token.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    actors = resolve_subject(doc, pobj, spans, salience)
                    if actors:
                        return Roles(actors, token, frozenset(t.i for t in pobj.subtree), True, False, saw_subject)
                    if pobj.dep_ == "pobj":
                        return None  # "a motion endorsed by 140 nations": the agent acts, and is no known actor
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS:
                saw_subject = True
                actors = resolve_subject(doc, child, spans, salience)
                if actors:
                    return Roles(actors, token, frozenset(t.i for t in child.subtree), True, is_pair(child), saw_subject)
                if child.tag_ in ("WDT", "WP") or child.lower_ in ("that", "which", "who"):
                    # "a ceasefire that freezes the lines": the relative clause acts for its noun, no actor
                    return None
        reporter = _reporting_head(token)
        if reporter is not None:
            token = reporter
            continue
        if token.head.i == token.i:
            break
        token = token.head
    if saw_subject:
        return None
    before = [s for s in spans if s.end <= anchor.i]
    if before:
        nearest = before[-1]
        return Roles([nearest.actor], anchor, frozenset(range(nearest.start, nearest.end)), False)
    return None


def _reporting_head(token: Token) -> Token | None:
    """A participial clause set off by a comma ("X said that Y happened, decrying it as ...") is said by
    the reporter, not by the subject of the reported clause it happens to hang from in the parse."""
    if token.tag_ != "VBG" or token.dep_ not in ("advcl", "xcomp", "conj") or any(c.dep_ in SUBJECT_DEPS for c in token.children):
        return None
    if token.i == 0 or token.doc[token.i - 1].text != ",":
        return None
    clause = token.head
    while clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ == "ccomp" and clause.head.lemma_ in REPORTING_VERBS:
        return clause.head
    return None


def _under_place_prep(token: Token, stop: Token) -> bool:
    """Whether an actor is named as a place ("strikes in Ukraine"); "the proposal from France" names a proposer."""
    while token.i != stop.i and token.head.i != token.i:
        if token.dep_ == "pobj":
            # the nearest preposition decides: "a call with Meloni during the summit" names a party
            return token.head.lower_ in PLACE_PREPS and not _from_sender(token.head)
        token = token.head
    return False


def _describes_a_noun(token: Token) -> bool:
    """The agent of a participle that modifies a noun ("the deal, brokered by Turkey") describes the noun,
    it is not aimed at by the sentence's action."""
    while token.dep_ in ("conj", "appos", "compound") and token.head.i != token.i:
        token = token.head
    if token.dep_ != "pobj" or token.head.dep_ != "agent":
        return False
    participle = token.head.head
    return participle.dep_ == "acl"


def _from_sender(prep: Token) -> bool:
    """"from" after a message or proposal names who sent it, not where something is."""
    return prep.lower_ == "from" and prep.head.lemma_ in SENT_NOUNS


def _coordinated(span: ActorSpan, spans: list[ActorSpan], doc: Doc) -> list[ActorSpan]:
    """The span and the actors coordinated with it ("between Russia and Ukraine")."""
    head = doc[span.end - 1]
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    group = [span_at(spans, head) or span]
    if span not in group:
        group.append(span)
    for token in _subject_tokens(head)[1:]:
        found = span_at(spans, token)
        if found and found not in group:
            group.append(found)
    return group


def find_targets(
    doc: Doc, anchor: Token, match_start: int, match_end: int, roles: Roles, spans: list[ActorSpan], keep_places: bool
) -> list[tuple[ActorSpan, bool]]:
    """Actors the action is aimed at, each with whether it is named as a place (for the bare code)."""
    clause = roles.clause
    attributed = {t.i for a in doc if a.lower_ == "according" for t in a.subtree}
    scope = {t.i for t in clause.subtree} if roles.via_subject else {t.i for t in doc}
    candidates = []
    own = {a.code for a in roles.actors}
    for span in spans:
        if span.start in roles.subject_tokens or span.start not in scope:
            continue
        if span.start in attributed or span.actor.code in own:
            continue
        if _describes_a_noun(doc[span.end - 1]):
            continue
        place = _under_place_prep(doc[span.end - 1], clause)
        if place and not keep_places:
            continue
        candidates.append((span, place))
    if not candidates:
        return []
    inside = [c for c in candidates if match_start <= c[0].start < match_end]
    after = [c for c in candidates if c[0].start > anchor.i]
    before = [c for c in candidates if c[0].start < anchor.i]
    chosen = (inside or after)[0] if (inside or after) else before[-1]
    group = _coordinated(chosen[0], [c[0] for c in candidates], doc)
    places = dict((c[0], c[1]) for c in candidates)
    return [(span, places.get(span, False)) for span in group]


def is_negated(doc: Doc, anchor: Token) -> bool:
    """Whether the trigger's own clause is negated ("not ready", "never offered", "no talks")."""
    token = anchor
    while True:
        for child in token.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
        if token.dep_ == "acl" and token.head.dep_ == "attr":
            token = token.head  # "we are not the ones refusing": the copula's negation covers its complement
            continue
        if token.dep_ in CLAUSE_BOUNDARY_DEPS or token.head.i == token.i:
            return False
        token = token.head


MODALS = frozenset({"could", "would", "might", "may", "should", "will", "shall", "must"})
PLANNING_VERBS = frozenset({
    "plan", "aim", "intend", "hope", "want", "seek", "try", "expect", "schedule", "prepare", "propose",
    "ready", "willing", "prepared", "eager", "keen", "agree", "offer", "promise", "pledge", "vow", "threaten",
})
# Nouns whose complement is an act not (yet) done: "an attempt to reach a deal", "plans to visit".
PLANNING_NOUNS = frozenset({"attempt", "effort", "bid", "plan", "aim", "goal", "intention", "proposal", "offer", "readiness", "willingness", "need", "call"})


PENDING_MARKS = frozenset({"until", "unless", "once", "till"})


def is_unrealised(anchor: Token) -> bool:
    """Whether a material act is only planned or possible ("planned to sign", "could mediate", "aimed at
    halting", "is to visit", "by using nuclear weapons, Russia would ...", "until the troops withdraw")."""
    token = anchor
    while True:
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in token.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in PENDING_MARKS for c in token.children):
            return True
        if token.tag_ in ("VBZ", "VBP", "VB") and any(c.dep_ == "mark" and c.lower_ == "before" for c in token.children):
            return True  # "before his country talks with Moscow"
        if token.dep_ == "ROOT" and token.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            return True  # a headline's "U.S. to resume aid": announced, not done
        if token.dep_ == "acl" and token.head.lemma_ in PLANNING_NOUNS:
            return True
        if token.dep_ not in ("xcomp", "aux", "pcomp", "prep", "pobj", "dobj", "conj") or token.head.i == token.i:
            return False
        head = token.head
        if token.dep_ == "xcomp" and head.lemma_ == "be" and any(c.lower_ == "to" for c in token.children):
            return True  # "Lula is to discuss the plan"
        token = head
        if token.lemma_ in PLANNING_VERBS:
            return True


def is_hypothetical(anchor: Token) -> bool:
    """Whether the trigger sits in an if/unless clause or a question."""
    token = anchor
    while True:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in token.children):
            return True
        if token.head.i == token.i:
            break
        token = token.head
    return anchor.sent.text.rstrip().endswith("?")


def embedded_in(inner: Token, outer_words: frozenset[int]) -> bool:
    """Whether inner hangs below a word of another action ("accused X of attacking", "rejected the call for a truce").

    A path through coordination ("criticised the West and said he was ready") is no embedding.
    """
    token = inner
    while token.head.i != token.i:
        if token.dep_ == "parataxis" or (token.dep_ == "conj" and token.head.dep_ not in COMPLEMENT_DEPS):
            return False
        if token.dep_ == "prep" and token.lower_ in CIRCUMSTANCE_PREPS:
            return False  # "pressed Putin at their meeting": where the act happened, not its content
        token = token.head
        if token.i in outer_words:
            return True
    return False
