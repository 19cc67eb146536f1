from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from disputes import selectors, services
from disputes.choices import FORMAL_STAGES, EndorsementKind, Stage
from disputes.filtersets import DisputeFilterSet
from disputes.forms.disputes import AssessmentForm, DisputeForm
from disputes.forms.steps import STEP_FORMS, TRANSITION_FORMS
from disputes.models import disputes as rules
from disputes.models.disputes import Dispute, SignificanceAssessment
from disputes.models.exclusions import Exclusion
from disputes.services import OFFICER, SMG, STEPS, TRANSITIONS
from disputes.services.procedure import ENDORSING_STEPS
from governance.core import deadlines
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ModelPermissionMixin,
    ObjectActionView,
    ObjectDetailView,
    ObjectDocumentsView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    ObjectPdfView,
    record_tabs,
)
from governance.core.views.records_tab import RecordsTab
from governance.templatetags.govuk import share_percent


class DisputeList(ObjectListView):
    model = Dispute
    selector = selectors.dispute_list
    filterset_class = DisputeFilterSet
    title = "Disputes"
    empty_message = "No disputes match."
    columns = [
        Column("Reference", "reference", sort="id", link=True),
        Column("Title", "title", sort="title"),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider", sort="contract__provider__name"),
        Column("Nature", "nature", sort="nature", in_table=False),
        Column("Stage", "stage", sort="stage"),
        Column("Significant", "is_significant", sort="is_significant"),
        Column("Raised", "raised_on", sort="raised_on"),
        Column("Raised by", "raised_by", in_table=False),
        *deadline_columns(
            "Next deadline",
            "next_deadline",
            deadlines.DISPUTE,
            sort="next_deadline_on",
            applies=lambda dispute: dispute.is_open,
        ),
        Column("Meeting deadline", "meeting_deadline", in_table=False),
        Column("Outcome", "outcome", in_table=False),
        Column("Closed", "closed_on", in_table=False),
    ]

    def default_ordering(self):
        """Missed deadlines first, then the soonest; the rest the latest raised first."""
        return [*selectors.next_deadline_ordering(timezone.localdate()), "-raised_on"]


class DisputeTabs(ObjectMixin):
    model = Dispute
    tabs = record_tabs("disputes:dispute", documents=True)

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract",
            "contract__provider",
            "contract__lead_officer",
            "contract__deputy_officer",
            "raised_by",
            "closed_by",
            "concern_entry",
            "concern_meeting",
            "notice_entry",
            "notice_to_contract_manager",
            "notice_to_escalation_contact",
            "dispute_meeting",
            "termination_notice",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object_template="disputes/dispute_base.html", dispute=self.object, **kwargs
        )


def _done(dispute: Dispute, endorsed: set) -> dict[str, bool]:
    """Steps already taken that cannot be taken again."""
    return {
        "pdm_told": dispute.pdm_told_on is not None,
        "smg_briefed": dispute.smg_briefed_on is not None,
        "concern_in_writing": dispute.concern_put_on is not None,
        "approach_agreed": dispute.approach_agreed_on is not None,
        "informal_outcome": bool(dispute.informal_outcome),
        "receipt_confirmed": dispute.receipt_confirmed_on is not None,
        "completion_report": dispute.completion_report_on is not None,
        "provider_informed": dispute.provider_informed_on is not None,
        "mediation_ended": dispute.mediation_ended_on is not None,
        "settlement": dispute.settled,
        "award": dispute.arbitration_award_on is not None,
        "judgment": dispute.judgment_on is not None,
        "termination": dispute.termination_notice_id is not None,
        "sign_off": (EndorsementKind.SIGN_OFF, Stage.STAGE_4) in endorsed,
        "endorse_outcome": (EndorsementKind.OUTCOME, dispute.stage) in endorsed,
    }


def _may(who: str, officer: bool, smg: bool) -> bool:
    return (
        (who == OFFICER and officer)
        or (who == SMG and smg)
        or (who == "anyone" and (officer or smg))
    )


class DisputeDetail(DisputeTabs, ObjectDetailView):
    template_name = "disputes/dispute_detail.html"

    def get_context_data(self, **kwargs):
        dispute = self.object
        user = self.request.user
        officer = services.is_officer(user, dispute)
        smg = services.is_smg(user)
        endorsements = list(
            dispute.endorsements.select_related(
                "endorsed_by", "evidence_entry", "evidence_meeting", "evidence_document"
            )
        )
        endorsed = {(e.kind, e.target_stage) for e in endorsements}
        # SMG endorsements the user may not give because they asked for them: the
        # buttons are left out and the page says who gives them instead.
        endorsement_notes = []

        def refused(kind) -> bool:
            if not smg:
                return False
            refusal = services.endorsement_refusal(dispute, kind, user)
            if refusal:
                endorsement_notes.append(
                    f"{refusal[:-1]}: another member of the Senior Management Group."
                )
            return bool(refusal)

        moves = []
        if dispute.is_open:
            for to in services.allowed_transitions(dispute):
                rule = TRANSITIONS[(dispute.stage, to)]
                skip = to != Stage.CLOSED and (
                    services.STAGE_ORDER[to] > services.STAGE_ORDER[dispute.stage] + 1
                )
                if skip and (EndorsementKind.SKIP, to) not in endorsed:
                    continue
                if _may(rule.who, officer, smg) and not (
                    to == Stage.STAGE_1 and refused(EndorsementKind.ESCALATION)
                ):
                    label = (
                        "Close the dispute" if to == Stage.CLOSED else f"Move to {Stage(to).label}"
                    )
                    moves.append(
                        {
                            "label": label,
                            "url": reverse("disputes:dispute_transition", args=[dispute.pk, to]),
                            "closing": to == Stage.CLOSED,
                            "stage": to,
                            # Shown disabled with what is missing, rather than offered
                            # and refused once its form is filled in.
                            "reasons": services.transition_blockers(dispute, to),
                        }
                    )
        done = _done(dispute, endorsed)
        steps = [
            {
                "label": STEPS[name].label,
                "url": reverse("disputes:dispute_step", args=[dispute.pk, name]),
                "smg": STEPS[name].who == SMG,
            }
            for name in services.available_steps(dispute)
            if not done.get(name)
            and _may(STEPS[name].who, officer, smg)
            and not (name in ENDORSING_STEPS and refused(ENDORSING_STEPS[name]))
        ]
        assessments = list(dispute.assessments.select_related("assessed_by"))
        actions = list(selectors.dispute_actions(dispute))
        today = timezone.localdate()
        return super().get_context_data(
            moves=moves,
            steps=steps,
            endorsement_notes=list(dict.fromkeys(endorsement_notes)),
            may_assess=officer and dispute.is_open and self.can("add", SignificanceAssessment),
            may_edit=officer and dispute.is_open,
            may_exclude=smg and self.can("add", Exclusion) and bool(dispute.termination_notice_id),
            assessment=assessments[0] if assessments else None,
            earlier_assessments=assessments[1:],
            endorsements=endorsements,
            actions=actions,
            timeline=list(dispute.timeline),
            stages=[
                {
                    "label": stage.label,
                    "current": stage == dispute.stage,
                    "passed": services.STAGE_ORDER[stage] < services.STAGE_ORDER[dispute.stage],
                }
                for stage in (Stage.INFORMAL, *FORMAL_STAGES)
            ],
            meeting_overdue=bool(
                dispute.stage == Stage.STAGE_2
                and dispute.meeting_held_on is None
                and dispute.meeting_deadline
                and dispute.meeting_deadline < today
            ),
            **kwargs,
        )


class DisputeHistory(DisputeTabs, ObjectHistoryView):
    pass


class DisputeDocuments(DisputeTabs, ObjectDocumentsView):
    pass


class DisputePdf(DisputeTabs, ObjectPdfView):
    """The dispute file: the full chronology, for auditors and SMG."""

    pdf_template_name = "disputes/pdf/dispute.html"

    def get_pdf_context(self) -> dict:
        return {"object": self.object, "dispute": self.object}

    def get_reference(self) -> str:
        return f"Dispute file {self.object.reference}"


class DisputeFormView(ChildFormView):
    """Raise a dispute on a contract (``parent_pk``) or correct one (``pk``)."""

    model = Dispute
    parent_model = Contract
    parent_tab = "disputes:contract_disputes"
    form_class = DisputeForm
    create_service = services.dispute_create
    update_service = services.dispute_update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.parent}

    def get_title(self):
        if self.editing:
            return f"Edit {self.object_label}"
        return f"Raise a dispute on {self.parent.reference}"


class AssessView(DisputeTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    object_field = "dispute"
    form_class = AssessmentForm
    service = services.significance_assess
    title = "Assess significance"
    submit_label = "Record the assessment"

    @property
    def description(self) -> str:
        share = share_percent(rules.SIGNIFICANT_SHARE)
        return (
            "A dispute is significant when any one of these holds: a financial effect of at "
            f"least {share} of the annual contract value, at least {share} of the client "
            "group affected, harm through the provider's negligence, or a risk to the "
            "commissioner's reputation. Each assessment is kept; the latest one counts."
        )

    success_message = "Assessment recorded."

    def has_permission(self):
        return super().has_permission() and self.can("add", SignificanceAssessment)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dispute": self.object}


class DisputeMoveView(DisputeTabs, ObjectActionView):
    """One move of the procedure: a stage transition (``to``) or a step (``step``).
    Who may take it comes from the services' tables; the service re-checks it."""

    object_field = "dispute"
    permission_action = "view"

    def who(self) -> str:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            raise PermissionDenied
        self.object = self.get_object()
        who = self.who()
        user = request.user
        if who == OFFICER and not services.is_officer(user, self.object):
            # Without the permission to run disputes: 403; another contract's: 404.
            if not user.has_perm("disputes.change_dispute"):
                raise PermissionDenied
            raise Http404
        if who == SMG and not services.is_smg(user):
            raise PermissionDenied
        if who == "anyone" and not (
            services.is_officer(user, self.object) or services.is_smg(user)
        ):
            raise PermissionDenied
        return super(ModelPermissionMixin, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dispute": self.object}

    def service_kwargs(self, form) -> dict:
        data = dict(form.cleaned_data)
        data.setdefault("notes", "")
        return data


MOVE_DESCRIPTIONS = {
    Stage.STAGE_1: "Record SMG's written agreement to take the dispute into the formal "
    "procedure, with the email or minutes that show it.",
    Stage.STAGE_2: "Record the written notice to the provider's contract manager and "
    f"escalation contact. It asks to meet within {rules.MEETING_BUSINESS_DAYS} business days "
    "and asks for "
    "confirmation of receipt.",
    Stage.STAGE_3: "Record the dispute meeting and whether it resolved the dispute.",
    Stage.STAGE_4: "The meeting did not resolve the dispute: record when the action plan "
    "was agreed, then add its actions.",
    Stage.STAGE_5: "Mediation under the CEDR model procedure, at the commissioner's choice.",
    Stage.STAGE_6: "Arbitration by a single arbitrator agreed by both parties or, failing "
    "agreement, appointed by the President of the Law Society of England and Wales.",
    Stage.STAGE_7: "Litigation, when arbitration is not chosen.",
    Stage.CLOSED: "Closing records the outcome. A resolution needs what its stage requires: "
    "SMG's endorsement, a signed settlement, the award or the judgment.",
}


class DisputeTransitionView(DisputeMoveView):
    submit_label = "Record it"

    @property
    def to_stage(self) -> str:
        to = self.kwargs["to"]
        if to not in TRANSITION_FORMS:
            raise Http404
        return to

    def who(self) -> str:
        # Who makes the move, not whether the dispute's stage still allows it: a move
        # someone has just made is refused by the service with a message, not a 403.
        return services.who_moves_to(self.to_stage)

    def get_form(self):
        return TRANSITION_FORMS[self.to_stage](**self.get_form_kwargs())

    def get_service(self):
        to = self.to_stage

        def move(**kwargs):
            return services.dispute_transition(to_stage=to, **kwargs)

        return move

    @property
    def title(self) -> str:
        to = self.to_stage
        return "Close the dispute" if to == Stage.CLOSED else f"Move to {Stage(to).label}"

    @property
    def description(self) -> str:
        to = self.to_stage
        text = MOVE_DESCRIPTIONS.get(to, "")
        if self.object.meeting_deadline and to == Stage.STAGE_3:
            text += f" The meeting was due by {self.object.meeting_deadline:%-d %B %Y}."
        return text

    def get_success_url(self):
        return self.object.get_absolute_url()


class DisputeStepView(DisputeMoveView):
    submit_label = "Record it"

    @property
    def step(self) -> str:
        step = self.kwargs["step"]
        if step not in STEPS:
            raise Http404
        return step

    def who(self) -> str:
        return STEPS[self.step].who

    def get_form(self):
        return STEP_FORMS[self.step](**self.get_form_kwargs())

    def get_service(self):
        step = self.step

        def record(**kwargs):
            return services.dispute_record_step(step=step, **kwargs)

        return record

    @property
    def title(self) -> str:
        return STEPS[self.step].label


class ContractDisputes(RecordsTab, ContractTabs, ObjectDetailView):
    template_name = "disputes/contract_disputes.html"
    records_model = Dispute

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            disputes=list(selectors.contract_disputes(self.request.user, self.object)),
            **kwargs,
        )
        context["can_add"] = context["can_change"] and self.can("add", Dispute)
        return context
