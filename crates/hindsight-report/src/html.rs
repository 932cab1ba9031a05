//! Self-contained HTML pages: inline styles, inline data, and Chart.js vendored into the page
//! (assets/chart.umd.min.js, v4.6.1, MIT), so a report opens anywhere with no network.

/// Chart.js 4.6.1, minified, without its source-map comment.
const CHART_JS: &str = include_str!("../assets/chart.umd.min.js");

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// JSON safe to embed in a `<script>` element: `</script>` cannot close it early.
pub(crate) fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace("</", "<\\/")
}

/// A complete page around `body`, with Chart.js and the chart definitions in `charts` (a script
/// that reads `DATA`).
pub(crate) fn page(title: &str, body: &str, data: &serde_json::Value, charts: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2430; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; }}
h2 {{ font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d8dde6; padding-bottom: .3rem; }}
.meta {{ color: #5b6576; font-size: .9rem; }}
.summary {{ background: #f3f6fa; border-left: 4px solid #3d6fb6; padding: .8rem 1rem; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1.5rem; }}
.card {{ border: 1px solid #d8dde6; border-radius: 6px; padding: 1rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .92rem; }}
th, td {{ text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e6e9ef; vertical-align: top; }}
th {{ background: #f7f8fa; }}
.sev-critical {{ color: #fff; background: #b3261e; padding: 0 .4rem; border-radius: 3px; }}
.sev-high {{ color: #fff; background: #d9731a; padding: 0 .4rem; border-radius: 3px; }}
.sev-medium {{ background: #f2c94c; padding: 0 .4rem; border-radius: 3px; }}
.sev-low {{ background: #d8dde6; padding: 0 .4rem; border-radius: 3px; }}
.score {{ font-size: 2.4rem; font-weight: 600; }}
</style>
</head>
<body>
{body}
<script>{CHART_JS}</script>
<script>
const DATA = {data};
{charts}
// How many charts drew: the browser test reads it (a chart that throws stops the script first).
document.body.dataset.chartsDrawn = String(Object.keys(Chart.instances).length);
</script>
</body>
</html>
"#,
        title = escape(title),
        data = script_json(data),
    )
}

#[cfg(test)]
mod tests {
    use super::{escape, script_json};

    #[test]
    fn user_text_cannot_break_out_of_the_page() {
        assert_eq!(escape(r#"<b onclick="x">&'"#), "&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;");
        let json = serde_json::json!({"subject": "</script><script>alert(1)</script>"});
        assert!(!script_json(&json).contains("</script>"));
    }
}
