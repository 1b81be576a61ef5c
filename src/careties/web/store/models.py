"""One table per data contract, mirroring ``careties.data.frames.CANONICAL``.

Rows are identified by their natural key (``NATURAL_KEYS``), enforced by a
unique constraint, so re-importing a file updates rows instead of duplicating
them. ``source`` records the file a row came from, so a corrected file can
replace its earlier version. There are deliberately no foreign keys between
data tables: councils load files in any order, and the importer checks codes
against what is loaded before anything is written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from careties.data.frames import NATURAL_KEYS

CODE = 16
TEXT = 255


class ImportedRow(models.Model):
    """Fields every imported row carries."""

    source = models.CharField(max_length=TEXT, help_text="file the row came from")

    class Meta:
        abstract = True


def natural_key(kind: str) -> list[models.UniqueConstraint]:
    """The ``constraints`` of ``kind``'s table: one unique constraint on its natural key.

    The fields come from ``careties.data.frames.NATURAL_KEYS``, the list the
    importer matches rows by, so what the importer calls "the same row" and what
    the database refuses to hold twice cannot drift apart. Named ``<kind>_key``.
    """
    return [models.UniqueConstraint(fields=list(NATURAL_KEYS[kind]), name=f"{kind}_key")]


class LastEdited(models.Model):
    """When a record edited in the browser last changed, and by whom.

    Shared by the records people edit (programme, plans, goals, commentary,
    unit costs, ...). ``updated_by`` is kept null rather than deleting the
    record when the user is removed: the record outlives its author.
    """

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        abstract = True


class Organisation(ImportedRow):
    """A council or a GP practice: known by its national code, listed and shown by name."""

    #: The field that holds the organisation's national code (ONS or ODS).
    code_field = ""
    name = models.CharField(max_length=TEXT)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({getattr(self, self.code_field)})"


class LocalAuthority(Organisation):
    code_field = "la_code"
    la_code = models.CharField(max_length=9, unique=True)
    region = models.CharField(max_length=TEXT, blank=True)

    class Meta(Organisation.Meta):
        db_table = "careties_local_authorities"


class Practice(Organisation):
    code_field = "practice_code"
    practice_code = models.CharField(max_length=6, unique=True)
    postcode = models.CharField(max_length=10, blank=True)
    la_code = models.CharField(max_length=9, db_index=True)
    status = models.CharField(max_length=1, default="A")

    class Meta(Organisation.Meta):
        db_table = "careties_practices"


class RegisteredPatients(ImportedRow):
    practice_code = models.CharField(max_length=6, db_index=True)
    extract_date = models.DateField()
    sex = models.CharField(max_length=6)
    age_band = models.CharField(max_length=6)
    patients = models.BigIntegerField()

    class Meta:
        db_table = "careties_registered_patients"
        constraints = natural_key("registered_patients")


class Population(ImportedRow):
    la_code = models.CharField(max_length=9)
    year = models.IntegerField()
    population_65_plus = models.BigIntegerField()
    population_18_64 = models.BigIntegerField(null=True)  # ASCOF 2B's denominator

    class Meta:
        db_table = "careties_population"
        constraints = natural_key("population")


class Professional(ImportedRow):
    professional_id = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=32)
    organisation = models.CharField(max_length=32, db_index=True)
    la_code = models.CharField(max_length=9, db_index=True)
    # The council's name for them (GPs: "Dr A Shah"); null when the file gave none.
    display_name = models.CharField(max_length=TEXT, null=True)

    class Meta:
        db_table = "careties_professionals"

    @property
    def label(self) -> str:
        """How pages name them: "Dr A Shah (GP00012)", or the id alone when unnamed."""
        return display_label(self.professional_id, self.display_name)


def display_label(professional_id: str, display_name: str | None) -> str:
    """A professional as a page names them: their display name beside the id, else the id.

    The id stays beside the name so that two GPs of one name are told apart and
    the row can be found in the council's own files.
    """
    return f"{display_name} ({professional_id})" if display_name else professional_id


class CareEvent(ImportedRow):
    event_reference = models.CharField(max_length=64)
    person_key = models.CharField(max_length=64)
    age = models.IntegerField(null=True)  # null: no date of birth (CLD allows it blank)
    # No index of its own: the (la_code, event_reference) key's index serves council queries.
    la_code = models.CharField(max_length=9)
    event_type = models.CharField(max_length=16)
    start_date = models.DateField()
    end_date = models.DateField(null=True)
    # TEXT, not a code's length: a CLD value outside its code list is kept as given.
    service_type = models.CharField(max_length=TEXT, null=True)
    route_of_access = models.CharField(max_length=TEXT, null=True)
    practice_code = models.CharField(max_length=6, null=True)
    professional_id = models.CharField(max_length=64, null=True)
    event_outcome = models.CharField(max_length=TEXT, null=True)
    # Client Level Data person fields (careties.data.frames.CANONICAL["events"]).
    client_type = models.CharField(max_length=TEXT, null=True)
    date_of_death = models.DateField(null=True)
    gender = models.CharField(max_length=TEXT, null=True)
    ethnicity = models.CharField(max_length=TEXT, null=True)
    primary_support_reason = models.CharField(max_length=TEXT, null=True)
    accommodation_status = models.CharField(max_length=TEXT, null=True)
    client_funding_status = models.CharField(max_length=TEXT, null=True)

    class Meta:
        db_table = "careties_events"
        constraints = natural_key("events")


class Contact(ImportedRow):
    contact_reference = models.CharField(max_length=64, unique=True)
    contact_date = models.DateField()
    # Indexed both ends: a council's contacts are those with either end in it.
    from_professional = models.CharField(max_length=64, db_index=True)
    to_professional = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=32)
    purpose = models.CharField(max_length=32)
    minutes = models.IntegerField()

    class Meta:
        db_table = "careties_contacts"


class SurveyResponse(ImportedRow):
    """One answer to one survey question.

    Indexed by council and id together (``survey_answers_council_id``): each
    council's data version holds its latest answer id (``max(id)`` per council,
    :mod:`careties.web.scale.versions`), which PostgreSQL serves from that index
    in one step, where an index on the council alone makes it read every
    answer of the council. The same index serves the per-council filters, so
    there is no second index on the council alone.
    """

    response_id = models.CharField(max_length=64)
    wave = models.CharField(max_length=32, db_index=True)
    instrument = models.CharField(max_length=32)
    la_code = models.CharField(max_length=9)
    organisation = models.CharField(max_length=32, null=True)
    respondent_id = models.CharField(max_length=64, null=True)
    question_id = models.CharField(max_length=64)
    answer = models.TextField()

    class Meta:
        db_table = "careties_survey_responses"
        constraints = natural_key("survey_responses")
        indexes = [models.Index(fields=["la_code", "id"], name="survey_answers_council_id")]


class Service(ImportedRow):
    service_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=TEXT)
    service_type = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    eligibility = models.TextField(blank=True, null=True)
    cost = models.TextField(blank=True, null=True)
    contact = models.TextField(blank=True, null=True)
    area = models.CharField(max_length=TEXT, blank=True, null=True)
    la_code = models.CharField(max_length=9, db_index=True)
    quality_rating = models.IntegerField(null=True)
    status = models.CharField(max_length=32, default="active")

    class Meta:
        db_table = "careties_services"


#: The table behind each kind of input.
MODEL_FOR_KIND: dict[str, type[ImportedRow]] = {
    "local_authorities": LocalAuthority,
    "practices": Practice,
    "registered_patients": RegisteredPatients,
    "population": Population,
    "professionals": Professional,
    "events": CareEvent,
    "contacts": Contact,
    "survey_responses": SurveyResponse,
    "services": Service,
}


class ImportBatch(models.Model):
    """A record of each import: what, from where, by whom, how many rows."""

    kind = models.CharField(max_length=32)
    source = models.CharField(max_length=TEXT)
    rows = models.IntegerField()
    replaced = models.IntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_import_batches"
        ordering = ["-created_at"]


class AuditEntry(models.Model):
    """Who did what, when, to which council's data: logins, imports, views, exports."""

    ACTIONS = [
        ("login", "login"),
        ("login_failed", "failed login"),
        ("import", "import"),
        ("view", "view"),
        ("export", "export"),
        ("change", "change"),
    ]
    action = models.CharField(max_length=16, choices=ACTIONS)
    what = models.CharField(max_length=TEXT)
    la_code = models.CharField(max_length=9, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    detail = models.TextField(blank=True)

    class Meta:
        db_table = "careties_audit"
        ordering = ["-at"]
