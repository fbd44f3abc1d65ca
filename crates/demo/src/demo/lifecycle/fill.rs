//! Filling a case's text templates with its parties, village and sums.

/// Filling of a case's placeholders for one dispute.
pub(crate) struct Fill {
    pub(crate) pairs: Vec<(&'static str, String)>,
}

impl Fill {
    pub(crate) fn apply(&self, template: &str) -> String {
        let mut s = template.to_string();
        for (key, value) in &self.pairs {
            if s.contains(key) {
                s = s.replace(key, value);
            }
        }
        s
    }
}

/// An amount as records write it: `3.5万` from ten thousand yuan up, plain below.
pub(crate) fn yuan_words(yuan: u64) -> String {
    if yuan >= 10_000 {
        let wan = format!("{:.2}", yuan as f64 / 10_000.0);
        let wan = wan.trim_end_matches('0').trim_end_matches('.');
        format!("{wan}万")
    } else {
        yuan.to_string()
    }
}
