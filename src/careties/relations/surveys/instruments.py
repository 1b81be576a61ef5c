"""Survey instruments: versioned question sets kept as YAML files in this package.

Each instrument (GP, social worker, older person) lives in
``definitions/<name>.v<version>.yaml``. The wording is our own; each question
names the construct it measures (``construct``) and the file lists the sources:
iMPOWER's Home Truths programme (2012, interim evaluation 2013) and Gittell's
relational coordination (Gittell et al. 2000, Medical Care 38(8):807-819).

Question ids are a contract with the importer, the synthetic data and the
scoring functions, so they never change within a version. Questions asked
once per local service type are written once in the file (``per_service``) and
expanded here for the standard service types and any the council adds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from careties.data import codes
from careties.data.codes import SURVEY_SERVICE_TYPES

INSTRUMENT_NAMES: tuple[str, ...] = ("gp", "social_worker", "older_person", "roles")

#: The standard local service types every instrument asks about, in order.
SERVICE_TYPES: tuple[str, ...] = SURVEY_SERVICE_TYPES

#: Gittell's seven dimensions of relational coordination, as question ids.
RC_DIMENSIONS: tuple[str, ...] = codes.RC_DIMENSIONS

QUESTION_KINDS: tuple[str, ...] = ("scale", "choice", "multi", "text", "people")

#: A ``people`` question (a network name generator) takes at most this many names.
MAX_NAMES = 5
#: What a named person's reference looks like: the roster's pseudonymous id.
_PERSON_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

#: Longest free-text answer accepted, in characters.
MAX_TEXT_LENGTH = 4000

#: How multiple answers to a ``multi`` question are joined in the long frame's
#: single ``answer`` cell.
MULTI_SEPARATOR = ";"

_SERVICE_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_FILE_NAME = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.yaml$")


class InstrumentError(ValueError):
    """An instrument was asked for that does not exist, or its file is malformed."""


@dataclass(frozen=True)
class Question:
    """One question as a form shows it.

    ``options`` are ``(value, label)`` pairs; ``value`` is what is stored in the
    ``answer`` column of the ``survey_responses`` frame. ``free_text`` marks
    answers that may identify their author: they are stored apart (see
    :func:`careties.relations.surveys.privacy.split_free_text`).
    """

    id: str
    text: str
    kind: str
    section: str
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    required: bool = False
    free_text: bool = False
    construct: str | None = None
    service: str | None = None
    #: The role a question asks about (the ``roles`` survey rates every role).
    role: str | None = None
    #: For a ``people`` question: whose names it offers (``social_care`` or ``gp``).
    roster: str | None = None

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed stored values, in the order shown."""
        return tuple(value for value, _ in self.options)


@dataclass(frozen=True)
class Section:
    """A titled group of questions, shown as one page or fieldset."""

    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Instrument:
    """A versioned survey: its wording, sections, questions and cited sources."""

    id: str
    version: int
    title: str
    intro: str
    questions: tuple[Question, ...]
    sections: tuple[Section, ...] = ()
    services: tuple[tuple[str, str], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    references: Mapping[str, str] = field(default_factory=dict)

    def question(self, question_id: str) -> Question:
        """The question with this id; ``KeyError`` if the instrument has none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(
            f"The {self.id} survey (version {self.version}) has no question {question_id!r}"
        )

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)

    @property
    def free_text_ids(self) -> tuple[str, ...]:
        """Ids of the questions whose answers are stored apart from their author."""
        return tuple(question.id for question in self.questions if question.free_text)


def available_versions(name: str) -> tuple[int, ...]:
    """The versions of instrument ``name`` shipped with careties, oldest first."""
    _check_name(name)
    versions = []
    for entry in resources.files(__package__).joinpath("definitions").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match and match["name"] == name:
            versions.append(int(match["version"]))
    return tuple(sorted(versions))


def load_instrument(
    name: str,
    version: int | None = None,
    extra_services: Iterable[str | tuple[str, str]] = (),
) -> Instrument:
    """Load a survey instrument from its YAML file.

    ``version`` defaults to the newest. ``extra_services`` adds the council's own
    service types to the questions asked per service (knowledge and quality for
    GPs, "had you heard of" for older people): give ids such as
    ``"dementia_cafe"`` or ``(id, label)`` pairs. The instrument's own service
    types come first, in their fixed order.
    """
    _check_name(name)
    versions = available_versions(name)
    if not versions:
        raise InstrumentError(f"No files for the {name} survey are installed")
    if version is None:
        version = versions[-1]
    if version not in versions:
        raise InstrumentError(
            f"The {name} survey has no version {version}; available: "
            + ", ".join(str(v) for v in versions)
        )
    raw = _read_definition(name, version)
    return _build(raw, _normalise_services(extra_services))


def _check_name(name: str) -> None:
    if name not in INSTRUMENT_NAMES:
        raise InstrumentError(
            f"Unknown survey {name!r}; the surveys are: " + ", ".join(INSTRUMENT_NAMES)
        )


@lru_cache(maxsize=32)
def _read_definition(name: str, version: int) -> dict[str, Any]:
    path = resources.files(__package__).joinpath("definitions", f"{name}.v{version}.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if raw.get("id") != name or int(raw.get("version", -1)) != version:
        raise InstrumentError(f"{name}.v{version}.yaml declares a different id or version")
    return raw


def _normalise_services(extra: Iterable[str | tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    if isinstance(extra, str):
        extra = (extra,)
    normalised = []
    for item in extra:
        if isinstance(item, str):
            service_id, label = item, item.replace("_", " ")
        else:
            service_id, label = item
        if not _SERVICE_ID.match(service_id):
            raise InstrumentError(
                f"Service type {service_id!r} must be lower case letters, digits and "
                "underscores, starting with a letter (for example 'dementia_cafe')"
            )
        normalised.append((service_id, str(label)))
    return tuple(normalised)


def _options(
    spec: Any, option_sets: Mapping[str, Any], question_id: str
) -> tuple[tuple[str, str], ...]:
    if spec is None:
        return ()
    if isinstance(spec, str):
        if spec not in option_sets:
            raise InstrumentError(f"Question {question_id} uses unknown option set {spec!r}")
        spec = option_sets[spec]
    return tuple((_value_text(value), str(label)) for value, label in spec)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):  # YAML 1.1 reads a bare yes/no as a boolean
        return "yes" if value else "no"
    return str(value)


def _question(
    spec: Mapping[str, Any],
    section: str,
    option_sets: Mapping[str, Any],
    service: tuple[str, str] | None = None,
    role: tuple[str, str] | None = None,
) -> Question:
    def fill(text: str) -> str:
        if role is not None:
            return text.replace("{role}", role[0]).replace("{label}", role[1])
        if service is None:
            return text
        return text.replace("{service}", service[0]).replace("{label}", service[1])

    question_id = fill(spec["id"])
    kind = spec["kind"]
    if kind not in QUESTION_KINDS:
        raise InstrumentError(f"Question {question_id} has unknown kind {kind!r}")
    options = _options(spec.get("options"), option_sets, question_id)
    if kind in ("scale", "choice", "multi") and not options:
        raise InstrumentError(f"Question {question_id} ({kind}) needs options")
    if kind == "people" and spec.get("roster") not in ("social_care", "gp"):
        raise InstrumentError(f"Question {question_id} (people) needs roster social_care or gp")
    return Question(
        id=question_id,
        text=fill(" ".join(str(spec["text"]).split())),
        kind=kind,
        section=section,
        options=options,
        hint=" ".join(str(spec.get("hint", "")).split()),
        required=bool(spec.get("required", False)),
        free_text=bool(spec.get("free_text", False)),
        construct=spec.get("construct"),
        service=None if service is None else service[0],
        role=None if role is None else role[0],
        roster=spec.get("roster"),
    )


def _build(raw: Mapping[str, Any], extra_services: tuple[tuple[str, str], ...]) -> Instrument:
    option_sets = raw.get("option_sets", {})
    standard = tuple((str(sid), str(label)) for sid, label in raw.get("services", ()))
    known = {sid for sid, _ in standard}
    services = standard + tuple(s for s in extra_services if s[0] not in known)
    questions: list[Question] = []
    sections: list[Section] = []
    roles = tuple((str(rid), str(label)) for rid, label in raw.get("rated_roles", ()))
    for section in raw["sections"]:
        if section.get("per_role"):
            # One section per rated role, so the form shows one role at a time.
            for role in roles:
                section_id = f"{section['id']}_{role[0]}"
                fill = lambda text, r=role: str(text).replace("{label}", r[1])  # noqa: E731
                sections.append(
                    Section(
                        section_id,
                        fill(section["title"]),
                        " ".join(fill(section.get("intro", "")).split()),
                    )
                )
                for spec in section["per_role"]:
                    questions.append(_question(spec, section_id, option_sets, role=role))
            continue
        sections.append(
            Section(
                section["id"], section["title"], " ".join(str(section.get("intro", "")).split())
            )
        )
        for spec in section.get("questions", ()):
            questions.append(_question(spec, section["id"], option_sets))
        if section.get("per_service"):
            for service in services:
                for spec in section["per_service"]:
                    questions.append(_question(spec, section["id"], option_sets, service))
    ids = [q.id for q in questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InstrumentError(f"The {raw['id']} survey repeats question ids: {duplicates}")
    return Instrument(
        id=raw["id"],
        version=int(raw["version"]),
        title=raw["title"],
        intro=" ".join(str(raw.get("intro", "")).split()),
        questions=tuple(questions),
        sections=tuple(sections),
        services=services,
        roles=roles,
        references={k: " ".join(str(v).split()) for k, v in raw.get("references", {}).items()},
    )


def validate_answers(
    instrument: Instrument, answers: Mapping[str, str | Sequence[str] | None]
) -> dict[str, str]:
    """Check one respondent's answers; return an error message per question id.

    An empty dict means the answers can be stored. Messages are written for the
    person filling in the form, in the GOV.UK error message style ("Select ...",
    "Enter ..."). Answers to questions the instrument does not have are errors
    too, keyed by the unknown id, so that a form cannot smuggle in fields.
    """
    errors: dict[str, str] = {}
    known = set(instrument.question_ids)
    for question_id in answers:
        if question_id not in known:
            errors[question_id] = "This is not a question in this survey"
    for question in instrument.questions:
        value = answers.get(question.id)
        if _is_blank(value):
            if question.required:
                errors[question.id] = _missing_message(question)
            continue
        message = _check_value(question, value)
        if message:
            errors[question.id] = message
    return errors


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, Sequence):
        return all(_is_blank(v) for v in value)
    return False


def _missing_message(question: Question) -> str:
    if question.kind == "text":
        return "Enter an answer"
    if question.kind in ("multi", "people"):
        return "Select at least one answer"
    return "Select an answer"


def _check_value(question: Question, value: Any) -> str | None:
    if question.kind == "text":
        if not isinstance(value, str):
            return "Enter your answer as text"
        if len(value) > MAX_TEXT_LENGTH:
            return f"Your answer must be {MAX_TEXT_LENGTH} characters or fewer"
        return None
    if question.kind == "people":
        chosen = [value] if isinstance(value, str) else list(value)
        if any(not isinstance(v, str) or not _PERSON_REF.match(v) for v in chosen):
            return "Pick each person from the list"
        if len(set(chosen)) != len(chosen):
            return "Name each person only once"
        if len(chosen) > MAX_NAMES:
            return f"Name at most {MAX_NAMES} people"
        return None
    allowed = set(question.values)
    if question.kind == "multi":
        chosen = [value] if isinstance(value, str) else list(value)
        if any(not isinstance(v, str) or v not in allowed for v in chosen):
            return "Select answers from the list"
        if len(set(chosen)) != len(chosen):
            return "Select each answer only once"
        return None
    if not isinstance(value, str):
        return "Select only one answer"
    if value not in allowed:
        return "Select one of the answers shown"
    return None
