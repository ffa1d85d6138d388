//! What the popup is showing: a restricted page, a tab with no data yet, a log the engine
//! rejected, or a report. Decided from the target tab and its stored page view, as the
//! bridge (`extension/popup/bridge.js`) hands them over in JSON.

use pagevitals_core::Report;
use pagevitals_core::log::LayoutShift;
use serde::Deserialize;

use crate::extras::Extras;

/// The tab the popup targets, as the bridge gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tab {
    /// The tab id (`tabs.Tab.id`).
    pub id: i32,
    /// Its URL where the extension may see it (http and https pages, through the host
    /// permissions), else absent.
    #[serde(default)]
    pub url: Option<String>,
}

/// The tab's current page view, as the bridge reads it from `storage.session`.
#[derive(Debug, Default, Deserialize)]
struct StoredView {
    /// The stored report, as JSON text (exported verbatim).
    #[serde(default)]
    report: Option<String>,
    /// The engine's error for a log it could not read.
    #[serde(default)]
    error: Option<serde_json::Value>,
    /// The log's `layout-shift` records, for the overlay.
    #[serde(default)]
    shifts: Vec<serde_json::Value>,
}

/// A report, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The report in the core's types.
    pub report: Report,
    /// The report exactly as stored, for the JSON export.
    pub raw: String,
    /// Report sections newer than the core's types here (budgets, score).
    pub extras: Extras,
    /// The page view's layout shifts (empty where the browser has none).
    pub shifts: Vec<LayoutShift>,
}

/// What the popup shows.
#[derive(Debug, Clone, PartialEq)]
pub enum TabState {
    /// Still asking the browser.
    Loading,
    /// A page PageVitals cannot measure: a browser page, the extension store, a file.
    Restricted,
    /// An http(s) page whose agent has not reported yet.
    Waiting,
    /// The engine could not read the page's log.
    Failed(String),
    /// A report.
    Ready(Box<Loaded>),
}

/// Hosts where the browsers let no extension script run, though their URLs are https: the
/// extension stores and the browser vendors' account pages. Chromium: `chromewebstore.google.com`
/// and `chrome.google.com/webstore` (`extensions/common/extension_urls.cc`, the web store is
/// never scriptable); Firefox: the default of the `extensions.webextensions.restrictedDomains`
/// preference (`modules/libpref/init/all.js`).
pub const RESTRICTED_HOSTS: &[&str] = &[
    "chromewebstore.google.com",
    "accounts-static.cdn.mozilla.net",
    "accounts.firefox.com",
    "addons.cdn.mozilla.net",
    "addons.mozilla.org",
    "api.accounts.firefox.com",
    "content.cdn.mozilla.net",
    "discovery.addons.mozilla.org",
    "install.mozilla.org",
    "oauth.accounts.firefox.com",
    "profile.accounts.firefox.com",
    "support.mozilla.org",
    "sync.services.mozilla.com",
];

/// Decides the state from the tab (absent when the browser gave none) and the bridge's JSON
/// for its current page view (`null` or absent before the first report).
///
/// A tab whose URL is not one PageVitals measures is restricted even when an older page
/// view of it was stored: that report is about a page the tab no longer shows. The URL is
/// absent exactly for such pages (the host permissions cover every http and https page).
pub fn classify(tab: Option<&Tab>, view_json: Option<&str>) -> TabState {
    if !tab
        .and_then(|t| t.url.as_deref())
        .is_some_and(is_measurable)
    {
        return TabState::Restricted;
    }
    let view = view_json
        .and_then(|json| serde_json::from_str::<Option<StoredView>>(json).ok())
        .flatten()
        .unwrap_or_default();
    if let Some(raw) = view.report {
        return match parse_report(raw, &view.shifts) {
            Ok(loaded) => TabState::Ready(Box::new(loaded)),
            Err(error) => TabState::Failed(format!("the stored report could not be read: {error}")),
        };
    }
    if let Some(error) = view.error {
        let message = error
            .get("message")
            .and_then(serde_json::Value::as_str)
            .map_or_else(|| error.to_string(), str::to_owned);
        return TabState::Failed(message);
    }
    TabState::Waiting
}

/// Whether PageVitals measures pages at `url`: http and https, as the content script's
/// matches say, except where the browser lets no extension run ([`RESTRICTED_HOSTS`],
/// `chrome.google.com/webstore`).
pub fn is_measurable(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    let path = &rest[authority.len()..];
    !(RESTRICTED_HOSTS.contains(&host)
        || (host == "chrome.google.com" && path.starts_with("/webstore")))
}

fn parse_report(raw: String, shifts: &[serde_json::Value]) -> Result<Loaded, serde_json::Error> {
    let report: Report = serde_json::from_str(&raw)?;
    let extras: Extras = serde_json::from_str(&raw)?;
    // A record the overlay cannot draw is skipped, not fatal: the report still shows.
    let shifts = shifts
        .iter()
        .filter_map(|s| LayoutShift::deserialize(s).ok())
        .collect();
    Ok(Loaded {
        report,
        raw,
        extras,
        shifts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report_json;

    fn tab(url: Option<&str>) -> Tab {
        Tab {
            id: 7,
            url: url.map(str::to_owned),
        }
    }

    #[test]
    fn browser_pages_without_a_report_are_restricted_and_web_pages_wait() {
        for url in [
            None,
            Some("chrome://extensions/"),
            Some("about:addons"),
            Some("file:///x"),
        ] {
            assert_eq!(
                classify(Some(&tab(url)), None),
                TabState::Restricted,
                "{url:?}"
            );
        }
        assert_eq!(classify(None, Some("null")), TabState::Restricted);
        assert_eq!(
            classify(Some(&tab(Some("https://x.dev/"))), Some("null")),
            TabState::Waiting
        );
        assert_eq!(
            classify(Some(&tab(Some("HTTP://x.dev/"))), None),
            TabState::Waiting
        );
    }

    #[test]
    fn the_stores_are_restricted_even_with_an_older_report() {
        for url in [
            "https://chromewebstore.google.com/detail/x",
            "https://chrome.google.com/webstore/category/extensions",
            "https://addons.mozilla.org/en-US/firefox/",
            "https://user@addons.mozilla.org:443/",
        ] {
            assert!(!is_measurable(url), "{url}");
        }
        assert!(is_measurable("https://chrome.google.com/search"));
        assert!(is_measurable("https://mozilla.org/"));
        // The tab left a measured page for a browser page: the old report is not shown.
        let view = serde_json::json!({ "report": report_json("basic.chromium.json") }).to_string();
        assert_eq!(
            classify(Some(&tab(None)), Some(&view)),
            TabState::Restricted
        );
        assert_eq!(
            classify(Some(&tab(Some("https://addons.mozilla.org/"))), Some(&view)),
            TabState::Restricted
        );
    }

    #[test]
    fn a_stored_report_is_ready_with_its_raw_text_and_shifts() {
        let raw = report_json("basic.chromium.json");
        let view = serde_json::json!({
            "report": raw,
            "error": null,
            "shifts": [{"entryType":"layout-shift","startTime":10,"value":0.1,"hadRecentInput":false,
                        "sources":[]}, {"bad": true}],
        });
        let page = tab(Some("http://127.0.0.1/basic.html"));
        let TabState::Ready(loaded) = classify(Some(&page), Some(&view.to_string())) else {
            panic!("not ready");
        };
        assert_eq!(loaded.raw, raw);
        assert_eq!(loaded.shifts.len(), 1);
        assert!(loaded.report.metrics.lcp.is_some());
    }

    #[test]
    fn an_engine_error_or_an_unreadable_report_is_said() {
        let error = r#"{"report":null,"error":{"message":"record 3: bad"},"shifts":[]}"#;
        assert_eq!(
            classify(Some(&tab(Some("https://x/"))), Some(error)),
            TabState::Failed("record 3: bad".to_owned())
        );
        let bad = r#"{"report":"{\"schema\":1}"}"#;
        assert!(matches!(
            classify(Some(&tab(Some("https://x/"))), Some(bad)),
            TabState::Failed(_)
        ));
    }
}
