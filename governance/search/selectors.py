"""The search box: records of each kind whose words match, each kind through the
selector its own list page uses (so restricted by that feature's ``restrict()``), and
documents found by their title and the words inside them, shown only where the record
they belong to may be seen. A contract is also found by the words of its documents."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from contracts.register.models.contracts import Contract
from contracts.register.selectors import contact_list, contract_list, organisation_list
from disputes.models.disputes import Dispute
from governance.core.models.base import Document
from governance.core.search import matching, query_words
from governance.meetings.models import Decision
from risks.selectors import risk_list

#: The most results shown of each kind.
PER_GROUP = 10

DOCUMENT_FIELDS = ("title", "original_filename", "text")


@dataclass
class Hit:
    label: str
    url: str
    detail: str = ""


@dataclass
class Group:
    key: str
    heading: str
    hits: list[Hit] = field(default_factory=list)
    #: More matched than are shown.
    more: bool = False


def _limited(queryset: QuerySet) -> tuple[list, bool]:
    rows = list(queryset[: PER_GROUP + 1])
    return rows[:PER_GROUP], len(rows) > PER_GROUP


def _visible_documents(user, documents: QuerySet[Document]) -> list[Document]:
    """The matching documents whose record ``user`` may see, newest first."""
    found = list(
        # The words themselves are not shown: reading them back costs more than the search.
        documents.select_related("content_type")
        .defer("text")
        .order_by("-uploaded_at", "-pk")[: PER_GROUP * 5]
    )
    visible: set[tuple[int, int]] = set()
    by_type: dict[ContentType, set[int]] = {}
    for document in found:
        by_type.setdefault(document.content_type, set()).add(document.object_id)
    for content_type, ids in by_type.items():
        model = content_type.model_class()
        manager = getattr(model, "objects", None) if model else None
        if manager is None or not hasattr(manager, "restrict"):
            continue
        for pk in manager.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True):
            visible.add((content_type.pk, pk))
    return [d for d in found if (d.content_type_id, d.object_id) in visible]


def _on_contract_or_portfolio(record) -> Hit:
    """A record of one contract or, with none, of the whole portfolio, by its title."""
    return Hit(
        record.title,
        record.get_absolute_url(),
        record.contract.reference if record.contract_id else "Portfolio",
    )


def _contracts(user, query: str) -> QuerySet[Contract]:
    contracts = contract_list(user)
    by_words = matching(contracts, query, ("reference", "title", "scope"))
    with_documents = matching(
        Document.objects.filter(content_type=ContentType.objects.get_for_model(Contract)),
        query,
        DOCUMENT_FIELDS,
    ).values("object_id")
    return (by_words | contracts.filter(pk__in=with_documents)).order_by("reference")


def search(user, query: str) -> list[Group]:
    """The groups of results for ``query``, in a fixed order; an empty query finds
    nothing."""
    if not query_words(query):
        return []
    kinds = [
        (
            "contracts",
            "Contracts",
            _contracts(user, query),
            lambda c: Hit(f"{c.reference} {c.title}", c.get_absolute_url(), c.provider.name),
        ),
        (
            "organisations",
            "Organisations",
            matching(
                organisation_list(user),
                query,
                ("name", "companies_house_number", "charity_number", "email", "address", "notes"),
            ).order_by("name"),
            lambda o: Hit(o.name, o.get_absolute_url(), o.get_kind_display()),
        ),
        (
            "contacts",
            "Contacts",
            matching(contact_list(user), query, ("name", "job_title", "email")).order_by("name"),
            lambda c: Hit(c.name, c.get_absolute_url(), f"{c.job_title}, {c.organisation.name}"),
        ),
        (
            "risks",
            "Risks and issues",
            matching(
                risk_list(user),
                query,
                ("title", "description", "mitigations"),
            ).order_by("-pk"),
            _on_contract_or_portfolio,
        ),
        (
            "decisions",
            "Decisions",
            matching(
                Decision.objects.restrict(user, "view").select_related("contract"),
                query,
                ("title", "decision", "rationale", "decided_by"),
            ).order_by("-decided_on", "-pk"),
            _on_contract_or_portfolio,
        ),
        (
            "disputes",
            "Disputes",
            matching(
                Dispute.objects.restrict(user, "view").select_related("contract"),
                query,
                ("title", "description", "outcome_summary"),
            ).order_by("-raised_on", "-pk"),
            lambda d: Hit(str(d), d.get_absolute_url(), d.contract.reference),
        ),
    ]
    groups = []
    for key, heading, queryset, hit in kinds:
        rows, more = _limited(queryset)
        groups.append(Group(key, heading, [hit(row) for row in rows], more))
    documents = _visible_documents(user, matching(Document.objects.all(), query, DOCUMENT_FIELDS))
    groups.append(
        Group(
            "documents",
            "Documents",
            [
                Hit(str(d), d.get_absolute_url(), f"{d.original_filename}, {d.content_type.name}")
                for d in documents[:PER_GROUP]
            ],
            len(documents) > PER_GROUP,
        )
    )
    return groups
