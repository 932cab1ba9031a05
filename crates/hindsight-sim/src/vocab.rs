//! Word lists and phrase pools the simulator draws from.
//!
//! Kept apart from the generation logic so a reader can see at a glance what a simulated call can
//! say. Planted phrases (the ones with an effect on outcomes) are *not* here: they live in
//! `plan.rs`, next to the effect sizes, because they are part of the truth.

pub const FIRST_NAMES: &[&str] = &[
    "Sarah", "Michael", "Jennifer", "David", "Maria", "James", "Linda", "Robert", "Priya", "Carlos", "Emily", "Daniel",
    "Aisha", "Thomas", "Laura", "Kevin", "Nicole", "Brian", "Olivia", "Marcus", "Rachel", "Steven", "Hannah",
    "Anthony", "Grace", "Jason", "Megan", "Eric", "Sofia", "Patrick",
];

pub const LAST_NAMES: &[&str] = &[
    "Johnson",
    "Williams",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Patel",
    "Nguyen",
    "Kim",
    "Okafor",
    "Schmidt",
    "Rossi",
    "Cohen",
    "Murphy",
    "Bennett",
];

pub const COMPANY_STEMS: &[&str] = &[
    "Bright",
    "Summit",
    "Harbor",
    "Cedar",
    "Maple",
    "Pioneer",
    "Evergreen",
    "Blue Ridge",
    "Lakeside",
    "Northstar",
    "Riverbend",
    "Keystone",
    "Silverline",
    "Oakmont",
    "Redwood",
    "Granite",
    "Westfield",
    "Crescent",
    "Beacon",
    "Falcon",
    "Horizon",
    "Prairie",
    "Sterling",
    "Willow",
];

pub const COMPANY_SUFFIXES: &[&str] =
    &["Dental", "Law Group", "Realty", "Insurance", "Home Services", "Labs", "Health", "CPAs", "Partners", "Clinic"];

pub const STREETS: &[&str] = &[
    "Oak Street",
    "Maple Avenue",
    "Pine Road",
    "Cedar Lane",
    "Elm Street",
    "Washington Boulevard",
    "Lake Drive",
    "Hillcrest Way",
    "Park Avenue",
    "Sunset Boulevard",
];

pub const CITIES: &[&str] =
    &["Springfield", "Riverside", "Franklin", "Greenville", "Madison", "Georgetown", "Fairview", "Salem"];

pub const EMAIL_DOMAINS: &[&str] = &["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com"];

pub const DIGIT_WORDS: [&str; 10] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/// Fillers a person drops into speech; the agent uses them rarely.
pub const USER_FILLERS: &[&str] = &["um,", "uh,", "you know,", "like,", "so,", "well,", "I mean,", "hmm,"];
pub const AGENT_FILLERS: &[&str] = &["so,", "okay,", "alright,", "great,"];

/// Short back-channel replies.
pub const USER_ACKS: &[&str] =
    &["Yeah.", "Okay.", "Sure.", "Mm-hmm.", "Right.", "Yes.", "Uh-huh.", "Got it.", "Sounds good.", "Okay, sure."];
pub const AGENT_ACKS: &[&str] = &[
    "Got it.",
    "That makes sense.",
    "Understood.",
    "Perfect.",
    "Thanks for sharing that.",
    "I hear you.",
    "Great.",
    "Okay, wonderful.",
];

/// Neutral agent lines by stage, with `{first}`, `{company}`, `{agent_name}`, `{day}`, `{time}` slots.
pub const HOOK_NEUTRAL: &[&str] = &[
    "Hi, is this {first}? This is {agent_name} calling from Clearpath.",
    "Hello {first}, {agent_name} here with Clearpath, how are you today?",
    "Hi there, am I speaking with {first}? It's {agent_name} from Clearpath.",
    "Good {daypart} {first}, this is {agent_name} calling on behalf of Clearpath.",
];
pub const HOOK_FOLLOW: &[&str] = &[
    "I'm reaching out because you requested some information about growing {company}.",
    "I'm calling about the form you filled out on our site last week.",
    "I wanted to follow up on your interest in scheduling a consultation.",
    "We help businesses like {company} book more appointments, and I saw you'd asked about it.",
];
/// Qualification questions, each with answers a caller might give to it.
pub const QUALIFICATION: &[(&str, &[&str])] = &[
    (
        "How are you currently handling new inquiries at {company}?",
        &[
            "Honestly we're just using a spreadsheet and a shared inbox.",
            "Whoever's free picks up the phone, which isn't always great.",
            "We have a receptionist, but she's swamped.",
        ],
    ),
    (
        "What does a typical week look like for your front desk?",
        &[
            "We get maybe thirty or forty calls a week, and we miss a lot of them.",
            "Mornings are chaos, afternoons are quieter.",
            "It's pretty nonstop, to be honest.",
        ],
    ),
    (
        "How many new customers are you bringing in each month right now?",
        &[
            "Maybe fifteen or twenty, depending on the month.",
            "Not as many as we'd like, around ten.",
            "It varies a lot, some months are really slow.",
        ],
    ),
    (
        "What made you look into this now?",
        &[
            "We're trying to grow before the busy season starts.",
            "A colleague mentioned something like this.",
            "We lost a couple of big jobs because nobody called back.",
        ],
    ),
    (
        "Who else is involved in decisions like this at {company}?",
        &[
            "My partner and I make those calls together.",
            "It's really just me.",
            "I'd loop in our office manager, but I decide.",
        ],
    ),
    (
        "What have you tried so far to fix that?",
        &[
            "We tried an answering service last year but it didn't really work out.",
            "We hired a part-timer for a while.",
            "Nothing really, we just kind of live with it.",
        ],
    ),
    (
        "What would it mean for the business if that problem went away?",
        &[
            "Things are okay, but we're losing people who don't get a call back.",
            "Honestly it would free up a lot of my evenings.",
            "We could probably take on a few more clients a month.",
        ],
    ),
    (
        "Is there a timeline you're working toward?",
        &[
            "We want to get this sorted in the next month or two.",
            "No rush, but sooner is better.",
            "Ideally before the end of the quarter.",
        ],
    ),
    (
        "Roughly what budget have you set aside for this?",
        &[
            "Budget's tight, but if it pays for itself we'd consider it.",
            "We haven't really set one yet.",
            "A few hundred a month would be fine.",
        ],
    ),
    (
        "How is that affecting your team day to day?",
        &[
            "The team spends hours every day on follow-ups.",
            "Everyone's a bit burned out.",
            "It's mostly me handling it, and I'm stretched pretty thin.",
        ],
    ),
];
pub const VALUE_NEUTRAL: &[&str] = &[
    "What we do is answer and follow up with every lead within a minute, day or night.",
    "Our system books appointments directly into your calendar and sends reminders.",
    "Most of our clients see more booked appointments within the first month.",
    "It plugs into the tools you already use, so nothing changes for your staff.",
    "We handle the follow-up so your team can focus on the customers in front of them.",
];
pub const CLOSING_NEUTRAL: &[&str] = &[
    "Would you be open to a short call with one of our specialists?",
    "Can we set up a time for a quick demo?",
    "How about we get something on the calendar for you?",
    "Would it make sense to book a fifteen-minute walkthrough?",
];
pub const CONFIRMATION_LINES: &[&str] = &[
    "Just to confirm, that's {day} at {time}.",
    "So I have you down for {day} at {time}, is that right?",
    "Let me repeat that back: {day}, {time}, with our specialist.",
    "Great, {day} at {time} it is, you'll get a calendar invite shortly.",
];
pub const USER_AGREE: &[&str] = &[
    "Yeah, that works.",
    "Sure, let's do it.",
    "Okay, that sounds fine.",
    "Alright, go ahead.",
    "Yes, let's set it up.",
];
pub const USER_DECLINE: &[&str] = &[
    "I think I'll pass for now, thanks.",
    "Let me think about it and get back to you.",
    "Not right now, maybe next quarter.",
    "I'm not interested, thank you.",
];
/// Commitment language: strong versus weak (planted show-up driver; see `plan.rs`).
pub const COMMITMENT_STRONG: &[&str] = &[
    "I'll definitely be there.",
    "Absolutely, I've put it in my calendar already.",
    "I'll be there for sure, looking forward to it.",
    "Count me in, I'll make it work.",
];
pub const COMMITMENT_WEAK: &[&str] = &[
    "I'll try to make it.",
    "Maybe, we'll see how the week goes.",
    "I might be able to, I'm not sure yet.",
    "Probably, if nothing comes up.",
];
pub const GOODBYES_AGENT: &[&str] = &[
    "Thanks so much for your time, {first}. Have a great day!",
    "Appreciate it {first}, talk soon.",
    "Thank you, {first}. Bye now.",
];
pub const GOODBYES_USER: &[&str] = &["Thanks, bye.", "You too, bye.", "Okay, bye-bye.", "Thanks, take care."];
pub const DROP_LINES: &[&str] = &[
    "Sorry, I have to go.",
    "I'm not interested, please take me off your list.",
    "I'm busy right now.",
    "This isn't a good time.",
];
pub const FAILED_LINES: &[&str] =
    &["Hello? Hello?", "Sorry, you're breaking up.", "I can't hear you.", "Hello, is anyone there?"];
pub const ESCALATION_USER: &[(&str, &str)] = &[
    ("requested_human", "Can I just talk to a real person please?"),
    ("pricing_question", "I need exact pricing for my situation, who can give me that?"),
    ("complaint", "I want to make a complaint about how I was contacted."),
    ("technical_question", "Does this integrate with our practice management software? I need specifics."),
];
pub const ESCALATION_AGENT: &[&str] = &[
    "Of course, let me connect you with a member of our team.",
    "I understand, I'll transfer you to a specialist right now.",
    "Sure, one moment while I get someone who can help with that.",
];
pub const COMPLIANCE_DISCLOSURE: &str = "Just so you know, this call may be recorded for quality purposes.";

/// Lead firmographics.
pub const TITLES: &[&str] = &[
    "CEO",
    "Owner",
    "Marketing Director",
    "VP of Sales",
    "Office Manager",
    "Operations Manager",
    "Practice Administrator",
    "Marketing Coordinator",
];
pub const INDUSTRIES: &[&str] =
    &["Dental", "Legal", "Real Estate", "Insurance", "Home Services", "Healthcare", "Accounting", "SaaS"];
/// Company-size ranges as (label, min, max) in employees; the spec's buckets plus an open top.
pub const SIZE_RANGES: &[(&str, u32, u32)] =
    &[("1-5", 1, 5), ("6-15", 6, 15), ("16-30", 16, 30), ("31-50", 31, 50), ("51-100", 51, 100), ("101-500", 101, 500)];
pub const FUNDING_STAGES: &[&str] = &["bootstrapped", "seed", "series_a", "series_b", "private_equity"];

/// Outreach content.
pub const SUBJECTS: &[&str] = &[
    "Quick question about {company}",
    "{first_name}, idea for {company}",
    "Re: your {pain_point} goals",
    "Partnership opportunity",
    "Following up",
    "Helping {company} with {pain_point}",
    "15 minutes next week?",
];
pub const PAIN_POINTS: &[&str] = &["leads", "revenue", "time", "scaling", "competition", "cost", "quality"];
pub const CTAS: &[&str] =
    &["open to a quick chat", "worth 15 minutes", "free audit", "schedule a call", "let me know", "happy to share"];
pub const SEQUENCES: &[&[&str]] = &[
    &["email", "email", "email", "email"],
    &["email", "linkedin", "email", "sms"],
    &["linkedin", "email", "voice", "email"],
    &["email", "voice", "sms", "voice"],
    &["sms", "sms", "email", "voice"],
];

/// Small talk at the start of a call.
pub const RAPPORT_AGENT: &[&str] = &[
    "How's your {daypart} going so far?",
    "Is now still an okay time for a couple of minutes?",
    "Hope the week's treating you well?",
];
pub const RAPPORT_USER: &[&str] =
    &["Good, busy as always.", "It's fine, go ahead.", "Pretty hectic, but sure.", "Not bad, thanks."];
/// Follow-ups a caller adds after answering a question.
pub const USER_ELABORATIONS: &[&str] = &[
    "And honestly it's been like that for a while.",
    "We talked about fixing it last year but never got to it.",
    "It gets worse around the holidays.",
    "My office manager keeps bringing it up.",
    "I'd say that's the biggest headache right now.",
];
/// Questions callers ask during the value presentation, with the agent's answers.
pub const VALUE_QUESTIONS: &[(&str, &str)] = &[
    (
        "How does that work with our calendar?",
        "It syncs both ways with the calendar you already use, so nothing gets double-booked.",
    ),
    (
        "Do my staff need to learn anything new?",
        "Not really, they see every conversation in a simple inbox and can jump in any time.",
    ),
    ("What happens after hours?", "The assistant answers around the clock and books straight into open slots."),
    ("Is there a contract?", "It's month to month, you can cancel whenever you like."),
];
