"""The content model: what editors write in YAML, as typed records (no I/O).

One class per content type. The docstring of every field is its documentation: the editor
guide and the JSON Schemas for editors are generated from these classes.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import inspect
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r'^https?://[^\s<>"]+$'
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CITE = re.compile(r"\[@([^\]\s]+)\]")
"""The citation syntax in prose: [@fact-id] or [@source-id]."""
PARTIAL_DATE_FIELDS = frozenset({"published", "date"})
"""Fields that take a date, or only its year and month (the `When` type)."""
DATE_FIELDS = PARTIAL_DATE_FIELDS | {"as_of", "accessed", "review_by", "until", "updated", "ends"}
"""Every field that takes a date."""

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=80),
    Field(description="Lower-case words joined by hyphens, unique across the whole content."),
]
Ref = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
NOT_BLANK = r"\S"
"""Text must hold something besides white space."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=NOT_BLANK)]
Markdown = Annotated[
    str,
    StringConstraints(min_length=1, max_length=20000, pattern=NOT_BLANK),
    Field(json_schema_extra={"format": "markdown"}),
]
"""Editor Markdown: no raw HTML, no attribute syntax; links to http(s) addresses or this site."""
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2000)]
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
Language = Annotated[
    str,
    StringConstraints(pattern=LANGUAGE_PATTERN, max_length=35),
    Field(description="A BCP 47 language code, e.g. en, en-GB, fr, fr-CA, de-CH, es, zh-Hans."),
]
TRANSLATIONS = "translations"
"""The field, on every item that holds text, that maps an edition's language to that text translated."""


def _iso(value: Any) -> Any:
    """YAML gives dates as date objects; keep partial dates as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    return value


def _real_partial_date(value: str) -> str:
    match = PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError("expected a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    dt.date(year, month, day)  # raises ValueError for an impossible date
    return value


When = Annotated[
    str,
    BeforeValidator(_iso),
    AfterValidator(_real_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PARTIAL_DATE.pattern},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "A date: 2025-06-10, or 2025-06 or 2025 when only that much is known.",
        }
    ),
]


def N_(message: str) -> str:
    """Marks an interface message for extraction into the catalogues (builder/i18n); translated where shown."""
    return message


@functools.cache
def _attribute_docstrings() -> dict[str, dict[str, str]]:
    """{class name: {field: the string literal written under it}}, read from this module's source.

    Only the schema, the guide, the data dictionary and `new` need them, so they are read when asked for
    rather than by pydantic when each class is created (which would cost every command's start-up)."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(Path(__file__).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            docs = found[node.name] = {}
            for field, after in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(field, ast.AnnAssign)
                    and isinstance(field.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    docs[field.target.id] = inspect.cleandoc(after.value.value)
    return found


def field_docs(cls: type[BaseModel]) -> dict[str, str]:
    """Each field's documentation: the description given with its type, else the docstring written under it
    (in this class or the class it inherits the field from)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        docs.update(_attribute_docstrings().get(klass.__name__, {}) if klass.__module__ == __name__ else {})
    return {
        name: info.description or docs[name]
        for name, info in cls.model_fields.items()
        if info.description or name in docs
    }


def empty(kind: type[list[Any]] | type[dict[Any, Any]]) -> Any:
    """An empty list or mapping as a field's default, made anew for each item: pydantic deep-copies a literal
    [] or {} default at every validation (a fifth of the check's time at 10,000 facts). The JSON schemas
    still show it as the default."""
    return Field(default_factory=kind, json_schema_extra={"default": kind()})


class Model(BaseModel):
    kind_name: ClassVar[str] = "item"
    """How problems name an item of this type."""
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        validate_default=False,
        defer_build=True,
    )


class Status(StrEnum):
    """How sure we are of a claim. Each status is explained to readers on the method page."""

    CONFIRMED = "confirmed"
    SINGLE_SOURCE = "single-source"
    SECONDARY_ONLY = "secondary-only"
    REPORTED_DENIED = "reported-denied"
    DISPUTED = "disputed"
    CORRECTED = "corrected"


STATUS_TEXT: dict[Status, tuple[str, str]] = {
    Status.CONFIRMED: (
        N_("Confirmed"),
        N_("Seen in the primary document, or reported by at least two independent sources."),
    ),
    Status.SINGLE_SOURCE: (
        N_("Single source"),
        N_("Only one source reports it; nothing independent has been found."),
    ),
    Status.SECONDARY_ONLY: (
        N_("Secondary only"),
        N_("Reported by reputable secondary sources; the primary document was not read."),
    ),
    Status.REPORTED_DENIED: (
        N_("Reported, denied"),
        N_("Reported by sources and denied by the party concerned; both sides are cited."),
    ),
    Status.DISPUTED: (
        N_("Disputed"),
        N_("Sources disagree; their figures or accounts are shown side by side."),
    ),
    Status.CORRECTED: (
        N_("Corrected"),
        N_("A widely repeated version is wrong; this is the corrected claim."),
    ),
}


class SourceKind(StrEnum):
    """What kind of publisher a source is; readers see the mix of kinds behind a story."""

    GOVERNMENT = "government"
    STATE_MEDIA = "state-media"
    INTERNATIONAL = "international-organisation"
    WIRE = "wire"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    MAGAZINE = "magazine"
    THINK_TANK = "think-tank"
    LAW_FIRM = "law-firm"
    TRADE_PRESS = "trade-press"
    INDUSTRY = "industry"
    COMPANY = "company"
    DATA = "data"
    ACADEMIC = "academic"
    AGGREGATOR = "aggregator"


KIND_LABELS: dict[SourceKind, str] = {
    SourceKind.GOVERNMENT: N_("Government"),
    SourceKind.STATE_MEDIA: N_("State media"),
    SourceKind.INTERNATIONAL: N_("International organisation"),
    SourceKind.WIRE: N_("Wire service"),
    SourceKind.NEWSPAPER: N_("Newspaper"),
    SourceKind.BROADCASTER: N_("Broadcaster"),
    SourceKind.MAGAZINE: N_("Magazine"),
    SourceKind.THINK_TANK: N_("Think tank"),
    SourceKind.LAW_FIRM: N_("Law firm"),
    SourceKind.TRADE_PRESS: N_("Trade press"),
    SourceKind.INDUSTRY: N_("Industry"),
    SourceKind.COMPANY: N_("Company"),
    SourceKind.DATA: N_("Data"),
    SourceKind.ACADEMIC: N_("Academic"),
    SourceKind.AGGREGATOR: N_("Aggregator (coverage only)"),
}


class Via(Model):
    """The copy actually consulted, where it differs from the original publication."""

    name: Text
    """Who published the copy, e.g. 'The Daily Example (republishing a wire story)'."""
    url: Url | None = None
    """Where the copy was read (http or https)."""


class Source(Model):
    """A publication that facts cite: one item of the reference list."""

    kind_name: ClassVar[str] = "source"
    id: Id
    publisher: Text
    """The original publisher, e.g. 'World Health Organization' or 'Reuters'."""
    title: Text
    """The title as published."""
    authors: list[Text] = empty(list)
    """Authors as credited, where known."""
    published: When
    """Date of publication."""
    url: Url
    """The original's address (http or https)."""
    accessed: dt.date
    """When the copy cited was read."""
    archive_url: Url | None = None
    """An archived copy of the original, if one exists."""
    via: Via | None = None
    """The copy actually consulted, where it differs from the original."""
    kind: SourceKind
    """What kind of publisher this is. 'aggregator' sources may be listed, never cited as evidence."""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    """Country of origin as an ISO 3166 two-letter code (US, CN, GB ...); omit for international bodies."""
    language: Language = "en"
    """Language of the text consulted (BCP 47 code, e.g. en, zh-Hans, fr): quotations from it are marked
    so on the page."""
    note: Markdown | None = None
    """Anything a reader should know about this source (shown on the Sources page)."""


class CitationText(Model):
    """A citation's own words in an edition's language."""

    role: Text | None = None
    note: Text | None = None


class FigureText(CitationText):
    """A figure's words in an edition's language."""

    label: Text | None = None
    value: Text | None = None


class Citation(Model):
    """A reference from a claim to a source, with the exact words where there are any."""

    source: Ref
    """The id of the source cited."""
    quote: Text | None = None
    """An exact, short quotation from the source supporting the claim, verbatim in the source's language."""
    translation: Text | None = None
    """The quotation translated into the site's language, where the source's language is another; shown
    under the original, labelled as a translation. An edition in the source's own language shows only
    the original."""
    speaker: Ref | None = None
    """Who said the quoted words: the id of a person or organisation."""
    role: Text | None = None
    """The speaker's role as the source gives it, e.g. 'chief economist of the central bank'."""
    locator: Text | None = None
    """Where in the source: a page, section, table or paragraph."""
    note: Text | None = None
    """A short remark on this citation, e.g. 'translation by the publisher'."""
    translations: dict[Language, CitationText] = empty(dict)
    """The role and note in each edition's language (see site.yaml editions). The quotation and locator stay
    as the source has them. A citation with a role or note that an edition lacks leaves its item untranslated
    there."""


class Figure(Citation):
    """One source's value for a figure, shown side by side with the others'."""

    label: Text
    """What is measured, e.g. 'Share of households with broadband'."""
    value: Text
    """The value with its unit, e.g. '69%' or '1,200 t'."""
    year: Annotated[int, Field(ge=1800, le=2100)] | None = None
    """The year the value refers to."""
    translations: dict[Language, FigureText] = empty(dict)  # type: ignore[assignment]
    """The label, value, role and note in each edition's language (see site.yaml editions)."""


class FactText(Model):
    """A fact's text in an edition's language."""

    title: Text | None = None
    statement: Markdown | None = None
    note: Markdown | None = None
    ends_note: Text | None = None


class Fact(Model):
    """One checkable claim, with its sources and how sure we are of it."""

    kind_name: ClassVar[str] = "fact"
    id: Id
    title: Text
    """A short heading for the fact (search results and permalinks show it)."""
    statement: Markdown
    """The claim, in one to three sentences of Markdown."""
    status: Status
    """How sure we are: see the method page for each status."""
    as_of: dt.date
    """The date the statement is true as of."""
    review_by: dt.date | None = None
    """When an editor should check the statement again."""
    topics: Annotated[list[Ref], Field(min_length=1)]
    """Topic ids from site.yaml; the first one decides the page the fact lives on."""
    citations: Annotated[list[Citation], Field(min_length=1)]
    """One or more sources that support the statement."""
    figures: list[Figure] = empty(list)
    """Where sources give different values: each value with its own source."""
    note: Markdown | None = None
    """An editor's note shown under the statement (e.g. 'only one source exists')."""
    ends: dt.date | None = None
    """For a time-bound statement (an offer, a deadline): the date it is due to end. After it, readers are
    told its status since then is unconfirmed, and the fact awaits review."""
    ends_note: Text | None = None
    """What ends on that date, in a few words, e.g. 'the offer runs until 30 June 2026'."""
    change_note: Text | None = None
    """A note on the latest change, shown with it on the What changed page and in the feed. Start it with
    'Correction:' when the change fixes an error of ours: it is then listed under Our corrections."""
    translations: dict[Language, FactText] = empty(dict)
    """This fact's text in each edition's language (see site.yaml editions): the same fields, translated."""


class QuestionText(Model):
    """A question's text in an edition's language."""

    question: Text | None = None
    short_answer: Markdown | None = None
    answer: Markdown | None = None


class Question(Model):
    """A reader's question with a short answer first and a cited answer after it."""

    kind_name: ClassVar[str] = "question"
    id: Id
    question: Text
    """The question as a reader would ask it."""
    short_answer: Markdown
    """One or two sentences that answer the question."""
    answer: Markdown
    """The full answer in Markdown; cite with [@fact-id] or [@source-id]."""
    as_of: dt.date
    """The date the answer is true as of."""
    review_by: dt.date | None = None
    """When an editor should check the answer again."""
    topics: list[Ref] = empty(list)
    """Topic ids from site.yaml."""
    facts: list[Ref] = empty(list)
    """Facts to list under the answer, besides those cited in it."""
    related: list[Ref] = empty(list)
    """Other questions to read next."""
    change_note: Text | None = None
    """A note on the latest change, shown with it on the What changed page and in the feed. Start it with
    'Correction:' when the change fixes an error of ours: it is then listed under Our corrections."""
    translations: dict[Language, QuestionText] = empty(dict)
    """This question's text in each edition's language (see site.yaml editions): the same fields, translated."""


class EventText(Model):
    """An event's text in an edition's language."""

    title: Text | None = None
    summary: Markdown | None = None
    date_label: Text | None = None


class Event(Model):
    """A dated event on the timeline."""

    kind_name: ClassVar[str] = "event"
    id: Id
    date: When
    """When it happened."""
    date_label: Text | None = None
    """How to show the date where it is approximate, e.g. 'Late 1990s'."""
    title: Text
    """What happened, in a line."""
    summary: Markdown | None = None
    """A sentence or two more; cite with [@fact-id] or [@source-id]."""
    citations: Annotated[list[Citation], Field(min_length=1)]
    """Sources for the event."""
    topics: list[Ref] = empty(list)
    """Topic ids from site.yaml."""
    facts: list[Ref] = empty(list)
    """Facts that tell more about the event."""
    translations: dict[Language, EventText] = empty(dict)
    """This event's text in each edition's language (see site.yaml editions): the same fields, translated."""


class ElementCategory(StrEnum):
    """Light, heavy or neither, under the convention named in site.yaml (elements.convention)."""

    LIGHT = "light"
    HEAVY = "heavy"
    NEITHER = "neither"


class ControlStatus(StrEnum):
    IN_FORCE = "in-force"
    SUSPENDED = "suspended"
    LIFTED = "lifted"


class ElementControl(Model):
    """A control that covers this element (an export control, a sanction, a rule); site.yaml's
    elements.control names the kind."""

    event: Ref
    """The id of the event that imposed the control."""
    status: ControlStatus
    """Whether the control is in force, suspended or lifted."""
    until: dt.date | None = None
    """For a suspension: the date it runs until."""
    note: Text | None = None


class ElementText(Model):
    """An element's text in an edition's language."""

    name: Text | None = None
    uses: Markdown | None = None
    note: Markdown | None = None


class Element(Model):
    """A chemical element of the group the explainer covers."""

    kind_name: ClassVar[str] = "element"
    id: Id
    name: Text
    symbol: Annotated[str, StringConstraints(pattern=r"^[A-Z][a-z]?$")]
    atomic_number: Annotated[int, Field(ge=1, le=118)]
    category: ElementCategory
    """Light or heavy, under the convention named in site.yaml."""
    uses: Markdown
    """Main uses, in a sentence or two."""
    controls: list[ElementControl] = empty(list)
    """Controls that cover the element (what kind of control, site.yaml's elements.control says)."""
    citations: Annotated[list[Citation], Field(min_length=1)]
    """Sources for the classification, uses and controls."""
    note: Markdown | None = None
    translations: dict[Language, ElementText] = empty(dict)
    """This element's text in each edition's language (see site.yaml editions): the same fields, translated."""


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class PersonText(Model):
    """A person's or organisation's text in an edition's language."""

    name: Text | None = None
    role: Text | None = None
    description: Markdown | None = None


class Person(Model):
    """A person or organisation the explainer quotes or mentions."""

    kind_name: ClassVar[str] = "person"
    id: Id
    name: Text
    kind: EntityKind = EntityKind.PERSON
    role: Text
    """The role held when quoted, e.g. 'Minister of Health (March 2024)'."""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    description: Markdown | None = None
    """A sentence on who they are; cite with [@source-id]."""
    citations: Annotated[list[Citation], Field(min_length=1)]
    """Sources for the name and role."""
    translations: dict[Language, PersonText] = empty(dict)
    """This person's text in each edition's language (see site.yaml editions): the same fields, translated."""


class Column(Model):
    id: Id
    label: Text
    """The column's heading, e.g. 'Output in 2024'."""
    unit: Text | None = None
    """The unit of its numbers, e.g. 't' or '%'."""


class Row(Model):
    label: Text
    """What the row is about, e.g. a country or a year."""
    values: dict[str, Annotated[float, Field(allow_inf_nan=False)] | None]
    """One number per column id (null where not known)."""
    note: Text | None = None
    """A remark on the row's numbers, e.g. 'estimate'."""
    total: bool = False
    """True for a row that totals the others (e.g. the world): it is in the table, and stated under the chart
    rather than drawn as a bar that would dwarf the rest."""


class DatasetText(Model):
    """A dataset's text in an edition's language."""

    title: Text | None = None
    description: Markdown | None = None
    note: Markdown | None = None


class Dataset(Model):
    """A small table of sourced numbers, drawn as a chart."""

    kind_name: ClassVar[str] = "dataset"
    id: Id
    title: Text
    """The table's title, shown over its chart and table."""
    description: Markdown
    """What the numbers show, for readers and screen readers."""
    source: Ref
    """The id of the source the numbers come from."""
    locator: Text | None = None
    """Where in the source: a page or table."""
    as_of: dt.date
    """The date the numbers are current as of."""
    row_label: Text | None = None
    """What the rows are, e.g. 'Country': the heading of the table's first column (default 'Row')."""
    columns: Annotated[list[Column], Field(min_length=1)]
    rows: Annotated[list[Row], Field(min_length=1)]
    chart: Annotated[str, StringConstraints(pattern=r"^(bar|none)$")] = "bar"
    """'bar' draws each column as a bar chart; 'none' shows only the table."""
    note: Markdown | None = None
    """Anything a reader should know about the numbers (shown under the table)."""
    translations: dict[Language, DatasetText] = empty(dict)
    """This dataset's text in each edition's language (see site.yaml editions): the same fields, translated."""


class CorrectionText(Model):
    """A correction's text in an edition's language."""

    claim: Text | None = None
    appeared_in: Text | None = None
    correction: Markdown | None = None


class Correction(Model):
    """A claim found in coverage of the story that is wrong, with what is correct."""

    kind_name: ClassVar[str] = "correction"
    id: Id
    claim: Text
    """The wrong claim, in the words it appeared in."""
    appeared_in: Text
    """Where the claim appeared, e.g. 'a newspaper article of June 2025, as republished'."""
    correction: Markdown
    """What is correct; cite with [@fact-id] or [@source-id]."""
    citations: Annotated[list[Citation], Field(min_length=1)]
    """The evidence."""
    date: dt.date
    """When the correction was written."""
    translations: dict[Language, CorrectionText] = empty(dict)
    """This correction's text in each edition's language (see site.yaml editions): the same fields, translated."""


class TopicText(Model):
    """A topic's text in an edition's language."""

    label: Text | None = None
    description: Markdown | None = None


class Topic(Model):
    id: Id
    label: Text
    """The heading of the topic's page of facts."""
    description: Markdown | None = None
    translations: dict[Language, TopicText] = empty(dict)
    """This topic's text in each edition's language (see site.yaml editions): the same fields, translated."""


class StoryText(Model):
    """The story's text in an edition's language."""

    headline: Text | None = None
    standfirst: Markdown | None = None
    what_happened: Markdown | None = None


class Story(Model):
    """The home page: the story in one screen. Without a story, the home page lists the facts by topic."""

    headline: Text
    standfirst: Markdown | None = None
    """One or two sentences under the headline."""
    what_happened: Markdown | None = None
    """What has happened, cited with [@fact-id] or [@source-id]; without it, the page has no such section."""
    key_points: list[Ref] = empty(list)
    """Fact ids: what is behind the headline."""
    voices: list[Ref] = empty(list)
    """Fact ids whose citations quote someone: what the sources say."""
    timeline: list[Ref] = empty(list)
    """Event ids for the 'how we got here' excerpt."""
    questions: list[Ref] = empty(list)
    """Question ids for 'go deeper'."""
    coverage: bool = True
    """Show the tables counting the sources behind the story by kind and by country (a table only where the
    sources give what it counts: the country table needs sources with a country)."""
    translations: dict[Language, StoryText] = empty(dict)
    """This story's text in each edition's language (see site.yaml editions): the same fields, translated."""


NAV_LABELS: dict[str, str] = {
    "home": N_("Story"),
    "questions": N_("Questions"),
    "facts": N_("Facts"),
    "timeline": N_("Timeline"),
    "elements": N_("Elements"),
    "people": N_("People and organisations"),
    "data": N_("Data"),
    "downloads": N_("Download the data"),
    "sources": N_("Sources"),
    "corrections": N_("Errors in coverage"),
    "changes": N_("What changed"),
    "review": N_("Awaiting review"),
    "method": N_("How we check facts"),
    "statuses": N_("Claims by status"),
    "about": N_("About"),
}
"""Each navigation label's default, the interface's own word (site.yaml `labels` may set any of them)."""


class Labels(Model):
    """Navigation labels. Each one left out is the interface's own word in the site's language (from the
    message catalogues: 'Story', 'Questions'... in English)."""

    home: Text | None = None
    questions: Text | None = None
    facts: Text | None = None
    timeline: Text | None = None
    elements: Text | None = None
    people: Text | None = None
    data: Text | None = None
    downloads: Text | None = None
    sources: Text | None = None
    corrections: Text | None = None
    changes: Text | None = None
    review: Text | None = None
    method: Text | None = None
    statuses: Text | None = None
    about: Text | None = None


class CategoryLabels(Model):
    """What each element category is called on the elements page (the legend shows it with a capital);
    each one left out is the catalogue's word in the site's language ('light', 'heavy', 'neither')."""

    light: Text | None = None
    heavy: Text | None = None
    neither: Text | None = None


class ElementSettings(Model):
    """The elements page: its title and introduction, and every word of its grid that depends on the topic."""

    title: Text | None = None
    """The page's title and navigation entry (default: the navigation label `elements`)."""
    intro: Markdown | None = None
    """A paragraph or two at the top of the page."""
    convention: Markdown | None = None
    """The convention that splits the elements into categories, with a citation."""
    categories: CategoryLabels = Field(default_factory=CategoryLabels)
    """The names of the categories light, heavy and neither, e.g. 'light metals'."""
    control: Text | None = None
    """What the controls of an element are, as the label of each control's line, e.g. 'Export control'
    (default: the catalogue's 'Control' in the site's language)."""
    no_control: Text | None = None
    """The line shown for an element without controls (default: 'No control in the content.')."""
    controlled: Text | None = None
    """The legend of the red border drawn round an element under a control in force or suspended (default:
    'Red border: under a control in the content (in force or suspended)')."""


class ElementSettingsText(Model):
    """The elements page's text in an edition's language."""

    title: Text | None = None
    intro: Markdown | None = None
    convention: Markdown | None = None
    categories: CategoryLabels | None = None
    control: Text | None = None
    no_control: Text | None = None
    controlled: Text | None = None


class DataLicence(Model):
    """The licence under which readers may reuse the data the site offers for download."""

    name: Text
    """The licence's name as readers know it, e.g. 'CC BY 4.0'."""
    url: Url
    """The licence's text (http or https)."""


class Contact(Model):
    """How readers reach the publisher, shown in every page's footer."""

    name: Text
    """What the link says, e.g. 'Write to the editors'."""
    url: Annotated[str, StringConstraints(pattern=r'^(https?://|mailto:)[^\s<>"]+$', max_length=2000)]
    """A web address (http or https) or an e-mail address written mailto:name@example.org."""


class SiteText(Model):
    """The site's own text in an edition's language."""

    title: Text | None = None
    description: Text | None = None
    labels: Labels | None = None
    """Navigation labels in this edition's language; each one left out is the interface's own word."""
    elements: ElementSettingsText | None = None


class Site(Model):
    """Settings for the whole site: content/site.yaml."""

    title: Text
    description: Text
    """One or two sentences: the site's meta description."""
    language: Language = "en"
    """The site's language (BCP 47): its interface, dates and numbers. Any region or script variant of a
    language with a message catalogue works (en-GB, fr-CA, de-CH, zh-Hans...); see the editor guide."""
    editions: list[Language] = empty(list)
    """Further languages the explainer is published in, each under its own path (e.g. zh-Hans/), with
    text from the `translations` of each item; an item not translated shows in `language`, with a notice."""
    url: Url | None = None
    """Where the site is published."""
    publisher: Text
    """Who publishes the explainer."""
    updated: dt.date
    """When the content was last revised; also the build's timestamp."""
    topics: Annotated[list[Topic], Field(min_length=1)]
    story: Story | None = None
    """The home page's story; without one, the home page lists the facts by topic."""
    labels: Labels = Field(default_factory=Labels)
    elements: ElementSettings | None = None
    preview_port: Annotated[int, Field(ge=1024, le=65535)] | None = None
    """The port `serve` previews this explainer on (default 8000): give each explainer in a repository its own,
    so that their previews run side by side."""
    data_licence: DataLicence | None = None
    """The licence of the downloadable data (facts, sources, datasets...); without one, the downloads say
    that no licence is stated. Quotations in it remain their publishers'."""
    licence: DataLicence | None = None
    """The licence of the site's text, named with a link in every page's footer; without one, the footer
    states none."""
    contact: Contact | None = None
    """How readers reach the publisher (a link in every page's footer)."""
    translations: dict[Language, SiteText] = empty(dict)
    """The site's title, description and navigation labels in each edition's language."""


def markdown_fields(cls: type[BaseModel]) -> frozenset[tuple[str, ...]]:
    """Where the fields of `cls` that hold editor Markdown are ('*' stands for any list index or mapping key)."""
    found: set[tuple[str, ...]] = set()
    for name, info in cls.model_fields.items():
        if _is_markdown(info.json_schema_extra) or any(
            _is_markdown(getattr(meta, "json_schema_extra", None))
            for arg in get_args(info.annotation)
            for meta in getattr(arg, "__metadata__", ())
        ):
            found.add((name,))
            continue
        inner, listed = _nested_model(info.annotation)
        if inner is not None:
            found.update((name, *(("*",) if listed else ()), *sub) for sub in markdown_fields(inner))
    return frozenset(found)


def _is_markdown(extra: Any) -> bool:
    return isinstance(extra, dict) and extra.get("format") == "markdown"


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside an annotation (Model, Model | None, list[Model], dict[str, Model]), and whether it is
    a list or mapping (whose indexes or keys a path writes as '*')."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    listed = get_origin(annotation) in (list, dict)
    for arg in get_args(annotation):
        inner, inner_listed = _nested_model(arg)
        if inner is not None:
            return inner, listed or inner_listed
    return None, False


def sources_cited_in(text: str, facts: dict[str, Fact]) -> set[str]:
    """The source ids a text cites with [@id]: sources directly, facts through their citations."""
    found: set[str] = set()
    for ident in CITE.findall(text):
        fact = facts.get(ident)
        if fact is None:
            found.add(ident)
        else:
            found.update(c.source for c in fact.citations)
    return found


CONTENT_TYPES: dict[str, type[Model]] = {
    "sources": Source,
    "facts": Fact,
    "questions": Question,
    "events": Event,
    "elements": Element,
    "people": Person,
    "datasets": Dataset,
    "corrections": Correction,
}
"""Each folder of content/ and the type of the items in its files."""


class Content(Model):
    """Everything an explainer is made of, validated."""

    site: Site
    sources: list[Source] = empty(list)
    facts: list[Fact] = empty(list)
    questions: list[Question] = empty(list)
    events: list[Event] = empty(list)
    elements: list[Element] = empty(list)
    people: list[Person] = empty(list)
    datasets: list[Dataset] = empty(list)
    corrections: list[Correction] = empty(list)

    def all_citations(self) -> list[Citation]:
        """Every citation of every item, figures included."""
        result: list[Citation] = []
        for group in (self.facts, self.events, self.elements, self.people, self.corrections):
            for item in group:
                result.extend(item.citations)
        for fact in self.facts:
            result.extend(fact.figures)
        return result

    def prose(self) -> list[str]:
        """Every Markdown text in which [@id] citations may appear."""
        site = self.site
        texts: list[str | None] = [site.story.what_happened, site.story.standfirst] if site.story else []
        texts += [topic.description for topic in site.topics]
        if site.elements:
            texts += [site.elements.intro, site.elements.convention]
        for question in self.questions:
            texts += [question.short_answer, question.answer]
        texts += [fact.note for fact in self.facts]
        texts += [event.summary for event in self.events]
        for element in self.elements:
            texts += [element.uses, element.note]
        texts += [person.description for person in self.people]
        for dataset in self.datasets:
            texts += [dataset.description, dataset.note]
        texts += [correction.correction for correction in self.corrections]
        texts += [source.note for source in self.sources]
        return [text for text in texts if text]
