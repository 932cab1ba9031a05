//! Opening a rendered page in headless Chromium, shared by the report tests.

/// The browser to render with: `HINDSIGHT_CHROMIUM`, else `chromium` or `chromium-browser` on PATH.
fn chromium() -> Option<std::path::PathBuf> {
    if let Some(path) = std::env::var_os("HINDSIGHT_CHROMIUM") {
        return Some(path.into());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|directory| ["chromium", "chromium-browser"].map(|name| directory.join(name)))
        .find(|candidate| candidate.is_file())
}

/// How many charts `html` drew in headless Chromium with every host unresolvable (the page counts
/// them into `data-charts-drawn`), or none when no browser is installed and the run does not
/// require one. CI installs Chromium and sets `HINDSIGHT_REQUIRE_BROWSER=1`, so there a missing
/// browser fails the test instead.
pub fn charts_drawn_offline(html: &str) -> Option<usize> {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("HINDSIGHT_REQUIRE_BROWSER").is_none(),
            "HINDSIGHT_REQUIRE_BROWSER is set but no chromium was found (apt-get install chromium)"
        );
        eprintln!("skipped: no chromium on PATH (apt-get install chromium, or set HINDSIGHT_CHROMIUM)");
        return None;
    };
    let directory = tempfile::tempdir().expect("temp dir");
    let page = directory.path().join("report.html");
    std::fs::write(&page, html).expect("page written");
    let output = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            &format!("--user-data-dir={}", directory.path().join("profile").display()),
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let drawn = dom
        .split_once("data-charts-drawn=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(count, _)| count.parse().ok());
    Some(drawn.unwrap_or_else(|| {
        panic!(
            "the page never counted its charts (a script failed); stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    }))
}
