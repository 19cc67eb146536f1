"""The first version of every health check questionnaire.

A data migration loads these once; after that the questionnaires live in the database
and administrators change them by publishing a new version (the answers given to
earlier versions stay with those versions). Editing this file does not change a
database that already has the questionnaires.

Each questionnaire: its kind, name, purpose, answer scale, whether the provider answers
its own side, whether only strategic partnerships use it, and its areas, each a title
and a list of questions. A question is its text, or (text, stage) for the review by
theme and stage.
"""

INITIATION, PROCUREMENT, CONTRACT_MANAGEMENT = "initiation", "procurement", "contract_management"

QUESTIONNAIRES = [
    {
        "kind": "annual",
        "name": "Annual relationship health check",
        "purpose": (
            "Once a year, both parties look at whether the partnership is still paying off "
            "and whether the relationship is properly looked after. Each side answers on its "
            "own; the comparison shows where the two views differ."
        ),
        "scale": "agreement",
        "provider_answers": True,
        "partnerships_only": False,
        "areas": [
            (
                "Benefits",
                [
                    "The partnership delivers clear benefits that a conventional contract "
                    "would not have delivered.",
                    "The quality of the service and its value for money have kept improving "
                    "over the past year.",
                ],
            ),
            (
                "Measuring the relationship",
                [
                    "Our performance measures look at how strong and responsive the "
                    "relationship is, not only at the results that are easy to count.",
                ],
            ),
            (
                "Communication and trust",
                [
                    "The two organisations share information openly and promptly.",
                    "Concerns raised by either side are dealt with constructively and "
                    "without looking for someone to blame.",
                ],
            ),
            (
                "Capacity",
                [
                    "There are still enough people to look after the relationship as well "
                    "as deliver the service and administer the contract.",
                ],
            ),
            (
                "Exit",
                [
                    "Our exit strategy would let us leave the arrangement while keeping the "
                    "service running and keeping risk low.",
                ],
            ),
        ],
    },
    {
        "kind": "first_year",
        "name": "First year after award",
        "purpose": (
            "During the first year after the contract is awarded: have the parties set up "
            "the relationship they planned, and is it ready for what lies ahead?"
        ),
        "scale": "agreement",
        "provider_answers": True,
        "partnerships_only": False,
        "areas": [
            (
                "Ways of working",
                [
                    "Both parties have agreed exactly how they will work together.",
                    "The senior responsible owner, the provider's senior executive and the "
                    "other key people are named and know one another.",
                    "Lines of communication are in place and have been tried out; "
                    "counterparts in each organisation know each other's responsibilities.",
                ],
            ),
            (
                "Tools of the partnership",
                [
                    "We have agreed the tools that help the partnership work, such as "
                    "open-book accounting, a shared risk register and sharing cost and "
                    "margin information.",
                    "There is an agreed way for either side to raise concerns about the "
                    "partnership and the tone of the relationship.",
                    "When problems arise, our management and communication arrangements lead "
                    "us to solve them together without blame.",
                ],
            ),
            (
                "Commitment and resilience",
                [
                    "The provider remains committed to the partnership; changes in its "
                    "priorities, structure or strategy since the award have not weakened "
                    "that.",
                    "The arrangement can cope with the demands we can foresee, and we know "
                    "how it would respond to ones we cannot.",
                ],
            ),
        ],
    },
    {
        "kind": "ongoing",
        "name": "Ongoing relationship checklist",
        "purpose": (
            "A regular check of how the working relationship is going. An answer of partly "
            "or not at all marks the area as needing attention."
        ),
        "scale": "extent",
        "provider_answers": True,
        "partnerships_only": False,
        "areas": [
            (
                "Involvement and structures",
                [
                    "How far is the provider involved, or invited to take part, in the "
                    "commissioner's own planning and other work?",
                    "How well are the partnership's management arrangements working?",
                ],
            ),
            (
                "Communication and information",
                [
                    "How well is communication between the two parties working?",
                    "How freely and openly do the parties share information?",
                    "How well do feedback routes work up and down each organisation?",
                ],
            ),
            (
                "Resolving problems",
                ["How well are disagreements prevented or settled?"],
            ),
            (
                "Systems and monitoring",
                [
                    "How open are the financial and performance measurement systems to both "
                    "parties?",
                    "How far is enough monitoring information being provided?",
                ],
            ),
            (
                "Service users",
                [
                    "How satisfied are service users, and how well do they think of the "
                    "partnership?",
                ],
            ),
        ],
    },
    {
        "kind": "readiness",
        "name": "Readiness to partner checklist",
        "purpose": (
            "Before choosing a partnering approach: is our own organisation's culture ready "
            "for it? A single no means we are not ready yet."
        ),
        "scale": "yes_no",
        "provider_answers": False,
        "partnerships_only": False,
        "areas": [
            (
                "Values",
                [
                    "Trust: would we build mutual respect and trust with a partner so that "
                    "both sides can work well together?",
                    "Sharing: would we take joint responsibility for how the partnership "
                    "performs, be open about our strengths and weaknesses, and share in "
                    "success and failure alike?",
                    "Users first: would we put the needs of the people the service is for "
                    "ahead of either organisation's own interests?",
                    "Innovation: would we encourage new ways of working to keep pace with a "
                    "changing environment?",
                ],
            ),
            (
                "Ways of working",
                [
                    "Do we approach the relationship as collaborators rather than as adversaries?",
                    "Do we care about the success of the partnership as a whole, not only "
                    "about our own objectives?",
                    "Are we willing to be open with a partner about our strategy, plans, "
                    "worries and opportunities?",
                    "Would we manage the contract by giving the provider room to act within "
                    "an agreed framework?",
                    "Is our management style forward-looking, seeking out change and "
                    "improvement, rather than limited to checking performance?",
                    "Do we expect the relationship to work at several levels or across "
                    "several contracts, rather than through a single point of contact?",
                ],
            ),
        ],
    },
    {
        "kind": "outsourcing",
        "name": "Outsourcing self-evaluation",
        "purpose": (
            "Seven points to check that an outsourced service is set up to be governed well: "
            "roles, governance, risk, budget, performance, communication and change."
        ),
        "scale": "agreement",
        "provider_answers": True,
        "partnerships_only": False,
        "areas": [
            (
                "Role clarity",
                [
                    "The contract makes clear who is responsible for policy, who for "
                    "operations and who for delivery.",
                ],
            ),
            (
                "Governance",
                [
                    "Governance arrangements give regular oversight without the commissioner "
                    "running the provider's day-to-day work.",
                ],
            ),
            (
                "Risk allocation",
                [
                    "Each operational and financial risk has an owner and is being managed.",
                ],
            ),
            (
                "Budget",
                ["Both parties have agreed a clear budget and a schedule of payments."],
            ),
            (
                "Performance metrics",
                [
                    "The contract sets clear performance indicators, and performance is "
                    "tracked against them.",
                ],
            ),
            (
                "Communication",
                ["There are agreed routes for reporting progress, risks and issues."],
            ),
            (
                "Change control",
                [
                    "There is an agreed process for handling changes to scope, budget or "
                    "timescales.",
                ],
            ),
        ],
    },
    {
        "kind": "lifecycle",
        "name": "Partnership review by theme and stage",
        "purpose": (
            "For strategic partnerships: eight themes, each looked at for the initiation, "
            "procurement and contract management stages of the partnership."
        ),
        "scale": "agreement",
        "provider_answers": False,
        "partnerships_only": True,
        "areas": [
            (
                "Value for money",
                [
                    (
                        "The business case weighed a partnership against other options, "
                        "against a realistic public sector benchmark, and set a price the "
                        "council can afford.",
                        INITIATION,
                    ),
                    (
                        "Competition between bidders was kept up, the business case was "
                        "updated as the scope changed, and bids were judged on quality as "
                        "well as cost.",
                        PROCUREMENT,
                    ),
                    (
                        "We benchmark the services, manage through outcome indicators and put "
                        "a financial value on the benefits achieved.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Capacity",
                [
                    (
                        "We invested early in the client-side team and budgeted for the cost "
                        "of procurement.",
                        INITIATION,
                    ),
                    (
                        "We tracked the resources given to client-side management and whether "
                        "paid-for specialist advice was worth what it cost.",
                        PROCUREMENT,
                    ),
                    (
                        "A dedicated team manages the partnership, and the cost of that team "
                        "is watched.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Performance",
                [
                    (
                        "We knew the cost and performance of the services before they transferred.",
                        INITIATION,
                    ),
                    (
                        "Meaningful indicators were agreed, with a clear way to set and measure "
                        "their baselines.",
                        PROCUREMENT,
                    ),
                    (
                        "The indicators are reviewed regularly to check they still measure the "
                        "right things.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Risk",
                [
                    (
                        "Risks were identified early, including the risks of leaving the "
                        "partnership at different points.",
                        INITIATION,
                    ),
                    (
                        "Each risk went to the party best placed to manage it, with a way of "
                        "monitoring and reporting risks.",
                        PROCUREMENT,
                    ),
                    (
                        "Risks are reviewed regularly, and there is a plan for a restructure "
                        "or a change of ownership at the provider.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Incentives",
                [
                    (
                        "We understood what running a contract designed to reward partnership "
                        "involves, including how pricing and performance management work.",
                        INITIATION,
                    ),
                    (
                        "The agreed pricing gives the provider the right incentives, and heads "
                        "of service understand what it means for them.",
                        PROCUREMENT,
                    ),
                    (
                        "The partnership is managed first as a contract, with roles and "
                        "responsibilities clear and enforced.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Governance",
                [
                    (
                        "The governance model lets the organisations work together at "
                        "strategic, senior and operational levels, and between those levels.",
                        INITIATION,
                    ),
                    (
                        "The costs and benefits of the structures proposed in negotiation, "
                        "such as a joint venture company, were weighed up.",
                        PROCUREMENT,
                    ),
                    (
                        "The governance model is reviewed to make sure it still fits.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Trust",
                [
                    (
                        "We invested in building trust and agreed how the parts of the "
                        "contract that rely on it, such as open-book accounting, would work.",
                        INITIATION,
                    ),
                    (
                        "Bidders met our staff during procurement, and we knew whether the "
                        "people bidding would be the people delivering.",
                        PROCUREMENT,
                    ),
                    (
                        "We build trust through joint events, a partnership charter or "
                        "measures of partnership behaviour, and involve the partner in "
                        "succession planning.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
            (
                "Flexibility",
                [
                    (
                        "The contract length suits the services, and the partnership can "
                        "adapt when circumstances change.",
                        INITIATION,
                    ),
                    (
                        "We understood the costs and benefits of different contract lengths, "
                        "and the provider accepted formal reviews.",
                        PROCUREMENT,
                    ),
                    (
                        "The partnership as a whole is reviewed regularly to check it still "
                        "has the right mix of services.",
                        CONTRACT_MANAGEMENT,
                    ),
                ],
            ),
        ],
    },
    {
        "kind": "gate_0",
        "name": "Relationship questions before gate 0: strategic assessment",
        "purpose": (
            "Before the strategic assessment: does the need call for a partnership, and "
            "could we make one work?"
        ),
        "scale": "agreement",
        "provider_answers": False,
        "partnerships_only": False,
        "areas": [
            (
                "The case for partnering",
                [
                    "The business need points to a partnering relationship rather than a "
                    "conventional contract, and we can explain why.",
                    "We can describe what a successful relationship would look like and set "
                    "targets, milestones and measures to track it.",
                ],
            ),
            (
                "Our readiness",
                [
                    "Our organisation has the leadership, skills and capacity to run a "
                    "partnering relationship.",
                    "We have partnering experience, our own or other organisations', that we "
                    "can learn from or model this relationship on.",
                    "Users and stakeholders are likely to back the relationship and help it grow.",
                ],
            ),
            (
                "Risk and the market",
                [
                    "We know what kind of provider could manage the risks we expect to pass "
                    "on, and we could give it enough control to do so.",
                    "We understand how potential providers would see a partnering approach "
                    "to this requirement.",
                ],
            ),
        ],
    },
    {
        "kind": "gate_1",
        "name": "Relationship questions before gate 1: business justification",
        "purpose": "Before the business justification: does the business case stand behind "
        "partnering?",
        "scale": "agreement",
        "provider_answers": False,
        "partnerships_only": False,
        "areas": [
            (
                "The business case",
                [
                    "Partnering is still the right route, and the business case says so and "
                    "justifies it against the business need.",
                    "A good working relationship is built into the business case as a "
                    "critical success factor, not added as an afterthought.",
                    "The business case allows for the extra cost of managing a partnering "
                    "relationship.",
                    "The business case recognises how our own ways of working will need to "
                    "change for partnering to succeed.",
                ],
            ),
            (
                "Market and risk",
                [
                    "We have asked likely providers what they think partnering needs in "
                    "order to succeed.",
                    "There is an outline plan for how risks will be shared between the partners.",
                    "Our risk plans reflect how providers are likely to view taking on risk, "
                    "based on talking to the market or on past projects rather than on "
                    "assumption.",
                ],
            ),
            (
                "Leadership and communication",
                [
                    "Our management arrangements are ready to open formal and informal lines "
                    "of communication with a partner.",
                    "Senior leaders are visibly committed to a partnership approach for this "
                    "project.",
                ],
            ),
        ],
    },
    {
        "kind": "gate_2",
        "name": "Relationship questions before gate 2: procurement strategy",
        "purpose": "Before the procurement strategy is settled: will the way we buy produce "
        "the partnership we want?",
        "scale": "agreement",
        "provider_answers": False,
        "partnerships_only": False,
        "areas": [
            (
                "The requirement",
                [
                    "The chosen procurement route will let us build the partnering "
                    "arrangement we need.",
                    "The written requirement carries through what the business case says "
                    "about partnering.",
                    "The requirement asks for the features of partnering: shared objectives, "
                    "mutual benefit, openness, communication and joint handling of risk.",
                    "The requirement describes outcomes and mutual benefit rather than "
                    "inputs and outputs.",
                    "The requirement leaves providers room to innovate and is not over-specified.",
                ],
            ),
            (
                "Risk",
                [
                    "Each risk is given to the party best able to manage it.",
                    "The risks providers would carry are balanced by the benefits open to them.",
                    "Potential providers, and our own team, understand the proposed sharing "
                    "of risk and what it means for them.",
                ],
            ),
            (
                "People and readiness",
                [
                    "Our team knows the business, the market and the technical issues well "
                    "enough to discuss partnering with bidders.",
                    "We have a clear picture of the arrangement we want and of the points to "
                    "agree with providers.",
                    "Both parties will have the people and skills to manage the arrangement.",
                    "Our organisation is ready for a partner to take part in its day-to-day "
                    "work, including any change in behaviour or new skills this needs.",
                ],
            ),
        ],
    },
    {
        "kind": "gate_3",
        "name": "Relationship questions before gate 3: investment decision",
        "purpose": "Before the investment decision: is this the right partner, and are both "
        "sides ready?",
        "scale": "agreement",
        "provider_answers": False,
        "partnerships_only": False,
        "areas": [
            (
                "Choosing the partner",
                [
                    "Partnering principles came through the procurement process intact.",
                    "The partner was chosen for mutual benefit, whole-life value for money "
                    "and an active approach to risk.",
                    "The provider has shown its commitment and suitability for partnering: "
                    "its track record, its processes and tools, and the skills of its key "
                    "staff.",
                    "We have shown the provider our own commitment and suitability for partnering.",
                ],
            ),
            (
                "Getting ready",
                [
                    "Our organisation is prepared for the changes to processes, attitudes "
                    "and behaviour that partnering brings.",
                    "The two organisations' business strategies fit together and can be "
                    "pursued for mutual benefit.",
                    "We have a plan to encourage open, constructive and non-adversarial "
                    "behaviour in the staff who will work with the partner.",
                ],
            ),
        ],
    },
]


def load_questionnaires(*, template_model, version_model, area_model, question_model, today):
    """Create version 1 of each questionnaire not yet in the database (models passed in
    so a migration can use its historical models). Returns how many it created."""
    created = 0
    for order, spec in enumerate(QUESTIONNAIRES, start=1):
        if template_model.objects.filter(kind=spec["kind"]).exists():
            continue
        template = template_model.objects.create(
            kind=spec["kind"],
            name=spec["name"],
            purpose=spec["purpose"],
            scale=spec["scale"],
            provider_answers=spec["provider_answers"],
            partnerships_only=spec["partnerships_only"],
            order=order,
        )
        version = version_model.objects.create(
            template=template, number=1, published_on=today, notes="First version."
        )
        for area_order, (title, questions) in enumerate(spec["areas"], start=1):
            area = area_model.objects.create(version=version, title=title, order=area_order)
            for question_order, question in enumerate(questions, start=1):
                text, stage = question if isinstance(question, tuple) else (question, "")
                question_model.objects.create(
                    area=area,
                    order=question_order,
                    text=text,
                    scale=spec["scale"],
                    stage=stage,
                    ask_provider=spec["provider_answers"],
                )
        created += 1
    return created
