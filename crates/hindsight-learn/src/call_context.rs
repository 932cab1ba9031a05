//! What the transcript analysis knows about the person called, taken from their lead.

use hindsight_model::{AttributeValue, Lead};
use hindsight_text::conversation::CallContext;

/// What personalization is counted against: the lead's first name (the CRM's `first_name`
/// attribute, as the record contract has no name field), company and industry.
pub(crate) fn call_context(lead: Option<&Lead>) -> CallContext {
    let Some(lead) = lead else {
        return CallContext::default();
    };
    CallContext {
        first_name: match lead.attributes.get("first_name") {
            Some(AttributeValue::String(name)) if !name.trim().is_empty() => Some(name.clone()),
            _ => None,
        },
        company: lead.company.clone(),
        situation_terms: lead.industry.iter().cloned().collect(),
    }
}
