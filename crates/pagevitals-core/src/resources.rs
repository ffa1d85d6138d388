//! The resource summary: what the page view loaded, by type and by party, with bytes, cache
//! hits, render-blocking status and Server-Timing, from `resource` entries plus the
//! navigation entry as the document, joined with the background's `response` records.
//!
//! - **Requests.** Every `resource` entry of the page view, and the document (the last
//!   `navigation` entry in the log, the fullest, as [`PageView`] picks it). Entries that start
//!   after a restore that ended the page view ([`PageView::restore_time`]) belong to the next
//!   view and are left out.
//! - **Types** are Lighthouse's budget types (`core/computed/resource-summary.js`, which maps
//!   DevTools' Document, Script, Stylesheet, Image, Media and Font and calls the rest other);
//!   see [`classify`] for how a log's fields map onto them.
//! - **Party** is by registrable domain (eTLD+1 from the Public Suffix List, via the `psl`
//!   crate), as Lighthouse's third-party summary groups by entity: first party is the page
//!   URL's registrable domain. An IP address is its own domain, as is `localhost` (with its
//!   subdomains); a URL without a host (`data:`, `blob:`) is first party, grouped under its
//!   scheme.
//! - **Bytes** are the entries' `transferSize` (headers and body over the network, 0 from
//!   cache), `encodedBodySize` and `decodedBodySize`; cross-origin entries without
//!   Timing-Allow-Origin report 0 for all three.
//! - **Cache hits**: see [`is_cache_hit`].
//! - **Render-blocking** comes from `renderBlockingStatus` (Chromium; Resource Timing Level 3).
//!   Where no entry of the log carries it (Firefox, Safari) the summary says the status is
//!   unavailable and leaves every render-blocking count out: unknown, never zero.
//! - **Server-Timing** per request: the entry's `serverTiming` (source `entry`), or, when that
//!   is empty and a response record has the header, the header parsed by
//!   [`crate::server_timing`] (source `header`): the browser empties `serverTiming` for a
//!   cross-origin response without Timing-Allow-Origin, but `webRequest` sees the header.
//! - **Hidden timing**: a cross-origin request whose response record has no
//!   `Timing-Allow-Origin` allowing the page (Fetch's TAO check) exposes no detailed timing,
//!   sizes or Server-Timing to the page; such requests are listed.
//!
//! Response records are joined to requests by URL: each request (the document first, then
//! entries in log order) takes the first response record with its URL not yet taken.
//!
//! Browser URLs are already serialised by the URL Standard (lower-case host, punycode, no
//! default port), so the host and origin are read by splitting; no URL parser is needed.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::log::{
    Entry, EntryLog, NavigationTiming, Record, ResourceTiming, Response, ServerTiming,
};
use crate::page::PageView;
use crate::server_timing;

/// How many of the largest requests the summary lists (the issue asks for 10).
pub const LARGEST: usize = 10;

/// The entry type this summary is built from.
const ENTRY_TYPE: &str = "resource";

/// `renderBlockingStatus` of a request that blocked rendering (Resource Timing Level 3).
const RENDER_BLOCKING: &str = "blocking";

/// `deliveryType` of a response served from the HTTP cache (Resource Timing Level 3,
/// <https://w3c.github.io/resource-timing/#dom-performanceresourcetiming-deliverytype>).
const DELIVERY_CACHE: &str = "cache";

/// The `localhost` domain, its own party (RFC 6761 `.localhost` names included).
const LOCALHOST: &str = "localhost";

/// Lighthouse's resource types (`core/computed/resource-summary.js`; the budget.json types
/// without `total` and `third-party`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ResourceType {
    /// HTML documents: the page and its frames.
    Document,
    /// JavaScript.
    Script,
    /// CSS.
    Stylesheet,
    /// Images.
    Image,
    /// Audio and video.
    Media,
    /// Web fonts.
    Font,
    /// Everything else: fetch/XHR, beacons, text tracks, manifests, unknown.
    Other,
}

impl ResourceType {
    /// Every type, in report order.
    pub const ALL: [ResourceType; 7] = [
        ResourceType::Document,
        ResourceType::Script,
        ResourceType::Stylesheet,
        ResourceType::Image,
        ResourceType::Media,
        ResourceType::Font,
        ResourceType::Other,
    ];
}

/// Whether the browser exposes `renderBlockingStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    /// The entries carry it; render-blocking counts are real.
    Available,
    /// No entry carries it (Firefox, Safari); render-blocking counts are left out.
    Unavailable,
}

/// Counts and bytes of a group of requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// How many requests.
    pub requests: usize,
    /// Summed `transferSize`, bytes.
    pub transfer_size: f64,
    /// Summed `encodedBodySize`, bytes.
    pub encoded_body_size: f64,
    /// Summed `decodedBodySize`, bytes.
    pub decoded_body_size: f64,
    /// Requests served from cache ([`is_cache_hit`]).
    pub cache_hits: usize,
    /// Requests with `renderBlockingStatus` `blocking`; absent where the status is
    /// unavailable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_blocking: Option<usize>,
}

impl Totals {
    fn new(render_blocking: Availability) -> Self {
        Totals {
            requests: 0,
            transfer_size: 0.0,
            encoded_body_size: 0.0,
            decoded_body_size: 0.0,
            cache_hits: 0,
            render_blocking: (render_blocking == Availability::Available).then_some(0),
        }
    }

    fn add(&mut self, request: &Request<'_>) {
        self.requests += 1;
        self.transfer_size += request.transfer_size;
        self.encoded_body_size += request.encoded_body_size;
        self.decoded_body_size += request.decoded_body_size;
        self.cache_hits += usize::from(request.cache_hit);
        if let Some(n) = &mut self.render_blocking {
            *n += usize::from(request.render_blocking == Some(true));
        }
    }
}

/// The requests of one registrable domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DomainTotals {
    /// True for the page's own registrable domain.
    pub first_party: bool,
    /// Its counts and bytes.
    #[serde(flatten)]
    pub totals: Totals,
}

/// One request, as listed among the largest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResourceRow {
    /// The URL.
    pub url: String,
    /// Its type.
    #[serde(rename = "type")]
    pub resource_type: ResourceType,
    /// Its registrable domain.
    pub domain: String,
    /// True when on the page's registrable domain.
    pub first_party: bool,
    /// `transferSize`, bytes.
    pub transfer_size: f64,
    /// `encodedBodySize`, bytes.
    pub encoded_body_size: f64,
    /// `decodedBodySize`, bytes.
    pub decoded_body_size: f64,
    /// Served from cache.
    pub cache_hit: bool,
    /// Whether it blocked rendering; absent where the status is unavailable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_blocking: Option<bool>,
    /// The response's `Content-Encoding` (`br`, `gzip`, `zstd`, ...; lower-case), from the
    /// background's response record; absent where no record was joined or it had no such
    /// header (an identity-encoded response). Per-file budgets with a chosen compression
    /// read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
}

/// Where a request's Server-Timing metrics were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ServerTimingSource {
    /// The entry's `serverTiming`.
    Entry,
    /// The raw `Server-Timing` header of the response record.
    Header,
}

/// The Server-Timing metrics of one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RequestServerTiming {
    /// The URL.
    pub url: String,
    /// Where the metrics came from.
    pub source: ServerTimingSource,
    /// The metrics, in header order.
    pub metrics: Vec<ServerTiming>,
}

/// What the page view loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// Whether `renderBlockingStatus` is known in this browser.
    pub render_blocking_status: Availability,
    /// Every request, the document included.
    pub total: Totals,
    /// Per type; every type is listed, with zeros when nothing of it loaded.
    pub by_type: BTreeMap<ResourceType, Totals>,
    /// Requests on the page's registrable domain.
    pub first_party: Totals,
    /// Requests on other registrable domains.
    pub third_party: Totals,
    /// Per registrable domain.
    pub by_domain: BTreeMap<String, DomainTotals>,
    /// The largest requests by `transferSize` (ties by URL, then log order), at most
    /// [`LARGEST`].
    pub largest: Vec<ResourceRow>,
    /// Every request, in request order (the document first): what per-file budgets match
    /// URL globs against. Absent in reports written before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<ResourceRow>>,
    /// Server-Timing metrics of every request that had any, in request order.
    pub server_timing: Vec<RequestServerTiming>,
    /// Cross-origin requests whose response lacks a Timing-Allow-Origin for the page, so
    /// the page saw no detailed timing, sizes or Server-Timing for them; in request order.
    pub timing_hidden: Vec<String>,
}

/// One request, read from its entry and its response record. The summary is built from
/// these; the recommendation rules ([`crate::rules`]) read them too, so that both agree on
/// type, party, cache hits and the response-record join.
pub(crate) struct Request<'a> {
    /// The entry it was read from.
    pub(crate) source: Source<'a>,
    /// The response record joined to it, if any.
    pub(crate) response: Option<&'a Response>,
    pub(crate) url: &'a str,
    pub(crate) resource_type: ResourceType,
    pub(crate) domain: String,
    pub(crate) first_party: bool,
    pub(crate) transfer_size: f64,
    pub(crate) encoded_body_size: f64,
    pub(crate) decoded_body_size: f64,
    /// The MIME type: the entry's `contentType`, else the response's `Content-Type`.
    pub(crate) content_type: &'a str,
    pub(crate) cache_hit: bool,
    pub(crate) render_blocking: Option<bool>,
    /// The response's `Content-Encoding`, where a response record was joined.
    pub(crate) content_encoding: Option<String>,
    pub(crate) server_timing: Option<RequestServerTiming>,
    pub(crate) timing_hidden: bool,
}

/// The entry a [`Request`] was read from.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    /// The navigation entry: the document.
    Document(&'a NavigationTiming),
    /// A `resource` entry.
    Resource(&'a ResourceTiming),
}

/// The fields a request is read from: a `resource` entry, or the `navigation` entry.
struct Timing<'a> {
    source: Source<'a>,
    url: &'a str,
    initiator_type: &'a str,
    content_type: &'a str,
    transfer_size: f64,
    encoded_body_size: f64,
    decoded_body_size: f64,
    delivery_type: &'a str,
    render_blocking_status: &'a str,
    server_timing: &'a [ServerTiming],
}

impl<'a> From<&'a ResourceTiming> for Timing<'a> {
    fn from(r: &'a ResourceTiming) -> Self {
        Timing {
            source: Source::Resource(r),
            url: &r.name,
            initiator_type: &r.initiator_type,
            content_type: &r.content_type,
            transfer_size: r.transfer_size,
            encoded_body_size: r.encoded_body_size,
            decoded_body_size: r.decoded_body_size,
            delivery_type: &r.delivery_type,
            render_blocking_status: &r.render_blocking_status,
            server_timing: &r.server_timing,
        }
    }
}

impl<'a> From<&'a NavigationTiming> for Timing<'a> {
    fn from(n: &'a NavigationTiming) -> Self {
        Timing {
            source: Source::Document(n),
            url: &n.name,
            initiator_type: "navigation",
            content_type: &n.content_type,
            transfer_size: n.transfer_size,
            encoded_body_size: n.encoded_body_size,
            decoded_body_size: n.decoded_body_size,
            delivery_type: &n.delivery_type,
            render_blocking_status: &n.render_blocking_status,
            server_timing: &n.server_timing,
        }
    }
}

/// The resource summary, or `None` where `resource` entries are unsupported.
pub fn resources(log: &EntryLog, view: &PageView<'_>) -> Option<Resources> {
    let (requests, render_blocking_status) = requests(log, view)?;
    Some(summarise(&requests, render_blocking_status))
}

/// Every request of the page view (the document first, then `resource` entries in log
/// order) joined with its response record, and whether `renderBlockingStatus` is known;
/// `None` where `resource` entries are unsupported.
pub(crate) fn requests<'a>(
    log: &'a EntryLog,
    view: &PageView<'_>,
) -> Option<(Vec<Request<'a>>, Availability)> {
    if !view.supports(ENTRY_TYPE) {
        return None;
    }
    let document = log.records.iter().rev().find_map(|r| match r {
        Record::Entry(Entry::Navigation(n)) => Some(Timing::from(n.as_ref())),
        _ => None,
    });
    let timings: Vec<Timing<'a>> = document
        .into_iter()
        .chain(log.records.iter().filter_map(|r| match r {
            Record::Entry(Entry::Resource(r)) if r.start_time < view.restore_time => {
                Some(Timing::from(r.as_ref()))
            }
            _ => None,
        }))
        .collect();
    let render_blocking_status = if timings.iter().any(|t| !t.render_blocking_status.is_empty()) {
        Availability::Available
    } else {
        Availability::Unavailable
    };
    let mut responses = Responses::of(log);
    let page = Page::new(&log.page.url);
    let domains = Domains::of(&timings);
    let requests: Vec<Request<'a>> = timings
        .iter()
        .map(|t| {
            let response = responses.take(t.url);
            request(t, response, &page, &domains, render_blocking_status)
        })
        .collect();
    Some((requests, render_blocking_status))
}

pub(crate) fn summarise(
    requests: &[Request<'_>],
    render_blocking_status: Availability,
) -> Resources {
    let totals = || Totals::new(render_blocking_status);
    let mut total = totals();
    let mut by_type: BTreeMap<ResourceType, Totals> =
        ResourceType::ALL.iter().map(|t| (*t, totals())).collect();
    let mut first_party = totals();
    let mut third_party = totals();
    let mut by_domain: BTreeMap<String, DomainTotals> = BTreeMap::new();
    for r in requests {
        total.add(r);
        by_type.entry(r.resource_type).or_insert_with(totals).add(r);
        if r.first_party {
            first_party.add(r);
        } else {
            third_party.add(r);
        }
        match by_domain.get_mut(&r.domain) {
            Some(domain) => domain.totals.add(r),
            None => {
                let mut domain = DomainTotals {
                    first_party: r.first_party,
                    totals: totals(),
                };
                domain.totals.add(r);
                by_domain.insert(r.domain.clone(), domain);
            }
        }
    }
    // The first LARGEST of a stable sort (equal sizes and URLs stay in request order), kept
    // as the requests go by rather than sorting them all.
    let order = |a: &Request<'_>, b: &Request<'_>| {
        b.transfer_size
            .total_cmp(&a.transfer_size)
            .then_with(|| a.url.cmp(b.url))
    };
    let mut largest: Vec<&Request<'_>> = Vec::with_capacity(LARGEST + 1);
    for r in requests {
        // After every request it does not sort before: the place a stable sort gives it.
        let at = largest.partition_point(|l| order(l, r).is_le());
        if at < LARGEST {
            largest.insert(at, r);
            largest.truncate(LARGEST);
        }
    }
    Resources {
        render_blocking_status,
        total,
        by_type,
        first_party,
        third_party,
        by_domain,
        largest: largest.into_iter().map(row).collect(),
        requests: Some(requests.iter().map(row).collect()),
        server_timing: requests
            .iter()
            .filter_map(|r| r.server_timing.clone())
            .collect(),
        timing_hidden: requests
            .iter()
            .filter(|r| r.timing_hidden)
            .map(|r| r.url.to_owned())
            .collect(),
    }
}

fn row(r: &Request<'_>) -> ResourceRow {
    ResourceRow {
        url: r.url.to_owned(),
        resource_type: r.resource_type,
        domain: r.domain.clone(),
        first_party: r.first_party,
        transfer_size: r.transfer_size,
        encoded_body_size: r.encoded_body_size,
        decoded_body_size: r.decoded_body_size,
        cache_hit: r.cache_hit,
        render_blocking: r.render_blocking,
        content_encoding: r.content_encoding.clone(),
    }
}

/// The log's response records by URL, each URL's in log order, so that joining every request
/// to its response costs one lookup, not a scan of all responses.
struct Responses<'a>(HashMap<&'a str, VecDeque<&'a Response>>);

impl<'a> Responses<'a> {
    fn of(log: &'a EntryLog) -> Self {
        let mut by_url: HashMap<&str, VecDeque<&Response>> = HashMap::new();
        for record in &log.records {
            if let Record::Response(r) = record {
                by_url.entry(&r.url).or_default().push_back(r);
            }
        }
        Responses(by_url)
    }

    /// The first response record for `url` not yet taken, taken.
    fn take(&mut self, url: &str) -> Option<&'a Response> {
        if self.0.is_empty() {
            // A log without response records (not recorded through the extension): no need
            // to hash every URL.
            return None;
        }
        self.0.get_mut(url)?.pop_front()
    }
}

/// The "domain" of every URL of the page view (registrable domain, or scheme for URLs
/// without a host), computed once per host or scheme: thousands of URLs come from a handful
/// of hosts. A B-tree: a few comparisons of short host names cost less than hashing one.
struct Domains<'a>(BTreeMap<(bool, &'a str), String>);

impl<'a> Domains<'a> {
    fn of(timings: &[Timing<'a>]) -> Self {
        let mut domains = BTreeMap::new();
        for t in timings {
            let host = host(t.url);
            domains
                .entry(Domains::key(t.url, host))
                .or_insert_with(|| host.map_or_else(|| scheme(t.url), registrable_domain));
        }
        Domains(domains)
    }

    /// The URL's host, or where there is none its scheme (the two never taken for each
    /// other).
    fn key<'u>(url: &'u str, host: Option<&'u str>) -> (bool, &'u str) {
        match host {
            Some(host) => (true, host),
            None => (false, url.split_once(':').map_or("", |(s, _)| s)),
        }
    }

    /// The domain of `url`, whose [`host`] is `host`.
    fn of_url<'s>(&'s self, url: &'s str, host: Option<&'s str>) -> &'s str {
        self.0
            .get(&Domains::key(url, host))
            .map_or("", String::as_str)
    }
}

fn request<'a>(
    t: &Timing<'a>,
    response: Option<&'a Response>,
    page: &Page,
    domains: &Domains<'_>,
    render_blocking_status: Availability,
) -> Request<'a> {
    let content_type = if t.content_type.is_empty() {
        response
            .and_then(|r| r.header("content-type"))
            .unwrap_or("")
    } else {
        t.content_type
    };
    let host = host(t.url);
    let domain = domains.of_url(t.url, host);
    let server_timing = if !t.server_timing.is_empty() {
        Some(RequestServerTiming {
            url: t.url.to_owned(),
            source: ServerTimingSource::Entry,
            metrics: t.server_timing.to_vec(),
        })
    } else {
        response
            .and_then(|r| r.header("server-timing"))
            .map(server_timing::parse)
            .filter(|m| !m.is_empty())
            .map(|metrics| RequestServerTiming {
                url: t.url.to_owned(),
                source: ServerTimingSource::Header,
                metrics,
            })
    };
    let cross_origin =
        host.is_some() && !page.origin.as_deref().is_some_and(|o| has_origin(t.url, o));
    Request {
        source: t.source,
        response,
        content_type,
        url: t.url,
        resource_type: classify(
            t.initiator_type,
            t.url,
            content_type,
            response.map(|r| r.resource_type.as_str()),
        ),
        first_party: host.is_none() || domain == page.domain,
        domain: domain.to_owned(),
        transfer_size: t.transfer_size,
        encoded_body_size: t.encoded_body_size,
        decoded_body_size: t.decoded_body_size,
        cache_hit: is_cache_hit(
            t.delivery_type,
            t.transfer_size,
            t.decoded_body_size,
            response,
        ),
        render_blocking: (render_blocking_status == Availability::Available)
            .then(|| t.render_blocking_status == RENDER_BLOCKING),
        content_encoding: response
            .and_then(|r| r.header("content-encoding"))
            .map(|e| e.trim().to_ascii_lowercase()),
        server_timing,
        timing_hidden: cross_origin
            && response.is_some_and(|r| {
                !timing_allowed(r.header("timing-allow-origin"), page.origin.as_deref())
            }),
    }
}

/// A request was served from cache when any of:
/// - `deliveryType` is `cache` (Resource Timing Level 3; Chromium),
/// - `transferSize` is 0 while `decodedBodySize` is not: the body arrived without crossing
///   the network. The Resource Timing spec sets `transferSize` to 0 for a response from the
///   HTTP cache (<https://w3c.github.io/resource-timing/#dom-performanceresourcetiming-transfersize>),
///   and the decoded size tells it from a cross-origin response without Timing-Allow-Origin,
///   whose sizes are all 0 (the test web.dev's "Navigation and resource timing" gives),
/// - the response record says `fromCache` (`webRequest`), which also covers cross-origin
///   responses whose sizes the page cannot see.
///
/// A revalidated response (304) crossed the network for its headers and is not a hit.
pub fn is_cache_hit(
    delivery_type: &str,
    transfer_size: f64,
    decoded_body_size: f64,
    response: Option<&Response>,
) -> bool {
    delivery_type == DELIVERY_CACHE
        || (transfer_size == 0.0 && decoded_body_size > 0.0)
        || response.is_some_and(|r| r.from_cache)
}

/// The resource type of a request, from the most to the least reliable signal:
/// 1. the response record's `webRequest` type, which is the browser's own classification of
///    the request's destination (`main_frame`/`sub_frame` document, `script`, `stylesheet`,
///    `image`/`imageset`, `font`, `media`; `xmlhttprequest`, `ping`, `beacon`, `csp_report`,
///    `websocket`, `web_manifest` other, as Lighthouse counts XHR, Fetch, Ping and Manifest);
///    `object` and `other` say nothing;
/// 2. the entry's `initiatorType` where it names one type: `navigation`, `iframe`, `frame`
///    document; `script`; `img`, `image`, `input` image; `video`, `audio` media;
///    `xmlhttprequest`, `fetch`, `beacon`, `track` other. `link`, `css`, `other` and the rest
///    could be anything;
/// 3. the MIME type (the entry's `contentType`, else the response's `Content-Type`):
///    `text/html`/`application/xhtml+xml` document, JavaScript/ECMAScript types script,
///    `text/css` stylesheet, `image/*` image, `audio/*`/`video/*` media, `font/*` and the
///    legacy font types font;
/// 4. the URL path's extension ([`by_extension`]);
/// 5. otherwise other.
pub fn classify(
    initiator_type: &str,
    url: &str,
    content_type: &str,
    web_request_type: Option<&str>,
) -> ResourceType {
    web_request_type
        .and_then(by_web_request_type)
        .or_else(|| by_initiator_type(initiator_type))
        .or_else(|| by_mime_type(content_type))
        .or_else(|| by_extension(url))
        .unwrap_or(ResourceType::Other)
}

fn by_web_request_type(t: &str) -> Option<ResourceType> {
    Some(match t {
        "main_frame" | "sub_frame" => ResourceType::Document,
        "script" => ResourceType::Script,
        "stylesheet" => ResourceType::Stylesheet,
        "image" | "imageset" => ResourceType::Image,
        "font" => ResourceType::Font,
        "media" => ResourceType::Media,
        "xmlhttprequest" | "ping" | "beacon" | "csp_report" | "websocket" | "web_manifest" => {
            ResourceType::Other
        }
        _ => return None,
    })
}

fn by_initiator_type(t: &str) -> Option<ResourceType> {
    Some(match t {
        "navigation" | "iframe" | "frame" => ResourceType::Document,
        "script" => ResourceType::Script,
        "img" | "image" | "input" => ResourceType::Image,
        "video" | "audio" => ResourceType::Media,
        "xmlhttprequest" | "fetch" | "beacon" | "track" => ResourceType::Other,
        _ => return None,
    })
}

fn by_mime_type(content_type: &str) -> Option<ResourceType> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (kind, sub) = essence.split_once('/')?;
    Some(match (kind, sub) {
        ("text", "html") | ("application", "xhtml+xml") => ResourceType::Document,
        ("text", "css") => ResourceType::Stylesheet,
        (_, sub) if sub.ends_with("javascript") || sub.ends_with("ecmascript") => {
            ResourceType::Script
        }
        ("image", _) => ResourceType::Image,
        ("audio" | "video", _) => ResourceType::Media,
        ("font", _) | ("application", "vnd.ms-fontobject") => ResourceType::Font,
        ("application", sub) if sub.starts_with("font-") || sub.starts_with("x-font-") => {
            ResourceType::Font
        }
        _ => return None,
    })
}

/// The type the URL path's extension implies: `html`/`htm`/`xhtml` document; `js`, `mjs`,
/// `cjs` script; `css` stylesheet; common image, font, audio and video extensions.
pub fn by_extension(url: &str) -> Option<ResourceType> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let file = path.rsplit('/').next().unwrap_or_default();
    let (_, ext) = file.rsplit_once('.')?;
    Some(match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" | "xhtml" => ResourceType::Document,
        "js" | "mjs" | "cjs" => ResourceType::Script,
        "css" => ResourceType::Stylesheet,
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "ico" | "bmp" | "apng"
        | "jxl" => ResourceType::Image,
        "woff" | "woff2" | "ttf" | "otf" | "eot" => ResourceType::Font,
        "mp4" | "webm" | "ogv" | "ogg" | "mp3" | "m4a" | "m4v" | "wav" | "flac" | "aac"
        | "opus" | "mov" => ResourceType::Media,
        _ => return None,
    })
}

/// The page's origin and registrable domain.
struct Page {
    origin: Option<String>,
    domain: String,
}

impl Page {
    fn new(url: &str) -> Self {
        Page {
            origin: origin(url),
            domain: host(url).map_or_else(|| scheme(url), registrable_domain),
        }
    }
}

/// The host of a URL with an authority (`scheme://[userinfo@]host[:port]/...`), lower-case,
/// IPv6 brackets kept; `None` for URLs without one (`data:`, `blob:`, `file:///`).
pub fn host(url: &str) -> Option<&str> {
    let (scheme, rest) = scheme_and_rest(url)?;
    // A URL Standard scheme; `blob:http://...` has none here, and no host of its own.
    if !scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let host_port = host_port(rest);
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or_default()
    } else {
        // As `split(':')`, by a byte loop: `memchr` costs more on these few bytes.
        let colon = host_port.bytes().position(|b| b == b':');
        colon
            .and_then(|i| host_port.split_at_checked(i))
            .map_or(host_port, |(host, _)| host)
    };
    (!host.is_empty()).then_some(host)
}

/// `scheme` and what follows `scheme://`, where the URL's first `:` starts `://` (as in
/// `https://...`; not in `blob:https://...` or `data:...`).
fn scheme_and_rest(url: &str) -> Option<(&str, &str)> {
    // A byte loop: the colon is a few bytes in, closer than `memchr` gets going.
    let colon = url.bytes().position(|b| b == b':')?;
    let (scheme, rest) = url.split_at_checked(colon)?;
    Some((scheme, rest.strip_prefix("://")?))
}

/// `host[:port]` of what follows `scheme://`: the authority (up to the first `/`, `?` or `#`)
/// without its userinfo. Byte loops, as these are a few bytes into long URLs.
fn host_port(rest: &str) -> &str {
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = rest.split_at_checked(end).map_or(rest, |(a, _)| a);
    match authority.bytes().rposition(|b| b == b'@') {
        Some(at) => authority.split_at_checked(at + 1).map_or("", |(_, h)| h),
        None => authority,
    }
}

/// The scheme and `host[:port]` of a URL, as written, where it has a [`host`].
fn origin_parts(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = scheme_and_rest(url)?;
    Some((scheme, host_port(rest)))
}

/// `scheme://host[:port]`, lower-case, of a URL with a host.
fn origin(url: &str) -> Option<String> {
    host(url)?;
    let (scheme, host_port) = origin_parts(url)?;
    Some(format!("{scheme}://{host_port}").to_ascii_lowercase())
}

/// Whether `url`, which has a [`host`], has [`origin`] `origin` (lower-case), without building
/// it.
fn has_origin(url: &str, origin: &str) -> bool {
    origin_parts(url).is_some_and(|(scheme, host_port)| {
        origin.len() == scheme.len() + "://".len() + host_port.len()
            && origin
                .split_at_checked(scheme.len())
                .is_some_and(|(s, rest)| {
                    s.eq_ignore_ascii_case(scheme)
                        && rest
                            .strip_prefix("://")
                            .is_some_and(|h| h.eq_ignore_ascii_case(host_port))
                })
    })
}

/// The scheme with its colon (`data:`), the "domain" of a URL without a host.
fn scheme(url: &str) -> String {
    url.split_once(':')
        .map_or_else(String::new, |(s, _)| format!("{}:", s.to_ascii_lowercase()))
}

/// The registrable domain (eTLD+1) of a host; an IP address, `localhost` or a name the list
/// has no registrable domain for (a bare public suffix, a single label) is its own.
pub fn registrable_domain(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return host;
    }
    let name = host.trim_end_matches('.');
    if name == LOCALHOST || name.ends_with(".localhost") {
        return LOCALHOST.to_owned();
    }
    psl::domain_str(name).unwrap_or(name).to_owned()
}

/// Fetch's TAO check (<https://fetch.spec.whatwg.org/#concept-tao-check>): the
/// `Timing-Allow-Origin` values include `*` or the page's origin.
fn timing_allowed(header: Option<&str>, page_origin: Option<&str>) -> bool {
    header.is_some_and(|h| {
        h.split(',')
            .map(str::trim)
            .any(|v| v == "*" || Some(v) == page_origin)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{NAV, log, log_supporting};

    fn resource(url: &str, initiator: &str, transfer: f64, encoded: f64, decoded: f64) -> String {
        format!(
            r#"{{"entryType":"resource","name":"{url}","initiatorType":"{initiator}",
                "startTime":10,"requestStart":20,"responseEnd":30,"transferSize":{transfer},
                "encodedBodySize":{encoded},"decodedBodySize":{decoded}}}"#
        )
    }

    fn with(entry: &str, fields: &str) -> String {
        let mut e = entry.trim_end().to_owned();
        e.pop();
        format!("{e},{fields}}}")
    }

    fn response(url: &str, web_request_type: &str, headers: &str) -> String {
        format!(
            r#"{{"response":{{"url":"{url}","status":200,"fromCache":false,
                "type":"{web_request_type}","headers":{{{headers}}}}}}}"#
        )
    }

    fn summary(records: &[String]) -> Resources {
        summary_at("http://x/", records)
    }

    /// The summary for a page at `page_url` (the navigation entry's URL is changed too).
    fn summary_at(page_url: &str, records: &[String]) -> Resources {
        let records = records
            .join(",")
            .replace(r#""name":"http://x/""#, &format!(r#""name":"{page_url}""#));
        let mut log = log(&records);
        log.page.url = page_url.into();
        match resources(&log, &PageView::new(&log)) {
            Some(r) => r,
            None => panic!("no resource summary"),
        }
    }

    #[test]
    fn counts_the_document_and_each_entry_by_type_and_party() {
        let nav = with(
            NAV,
            r#""transferSize":1300,"encodedBodySize":1000,"decodedBodySize":4000"#,
        );
        let s = summary_at(
            "https://www.example.com/",
            &[
                nav,
                resource(
                    "https://www.example.com/app.js",
                    "script",
                    500.0,
                    400.0,
                    1200.0,
                ),
                resource(
                    "https://cdn.example.com/site.css",
                    "link",
                    300.0,
                    200.0,
                    800.0,
                ),
                resource(
                    "https://fonts.gstatic.com/s/a.woff2",
                    "css",
                    20000.0,
                    19000.0,
                    19000.0,
                ),
                resource(
                    "https://www.google-analytics.com/collect?v=1",
                    "beacon",
                    0.0,
                    0.0,
                    0.0,
                ),
            ],
        );
        assert_eq!(s.total.requests, 5);
        assert_eq!(s.total.transfer_size, 1300.0 + 500.0 + 300.0 + 20000.0);
        assert_eq!(s.total.decoded_body_size, 4000.0 + 1200.0 + 800.0 + 19000.0);
        let t = |ty| &s.by_type[&ty];
        assert_eq!(t(ResourceType::Document).requests, 1);
        assert_eq!(t(ResourceType::Script).requests, 1);
        assert_eq!(t(ResourceType::Stylesheet).requests, 1);
        assert_eq!(t(ResourceType::Font).transfer_size, 20000.0);
        assert_eq!(t(ResourceType::Other).requests, 1);
        assert_eq!(t(ResourceType::Media).requests, 0);
        assert_eq!(s.by_type.len(), 7);
        // `www.` and `cdn.` share the registrable domain `example.com`.
        assert_eq!((s.first_party.requests, s.third_party.requests), (3, 2));
        let domains: Vec<&str> = s.by_domain.keys().map(String::as_str).collect();
        assert_eq!(
            domains,
            ["example.com", "google-analytics.com", "gstatic.com"]
        );
        assert!(s.by_domain["example.com"].first_party);
        assert!(!s.by_domain["gstatic.com"].first_party);
        // No renderBlockingStatus anywhere: unavailable, and no counts at all.
        assert_eq!(s.render_blocking_status, Availability::Unavailable);
        assert!(s.total.render_blocking.is_none());
        let json = serde_json::to_value(&s.total).unwrap();
        assert!(json.get("renderBlocking").is_none());
        assert_eq!(s.largest[0].url, "https://fonts.gstatic.com/s/a.woff2");
        assert_eq!(s.largest.len(), 5);
    }

    #[test]
    fn render_blocking_counts_where_chromium_reports_the_status() {
        let s = summary(&[
            with(NAV, r#""renderBlockingStatus":"non-blocking""#),
            with(
                &resource("http://x/a.css", "link", 1.0, 1.0, 1.0),
                r#""renderBlockingStatus":"blocking""#,
            ),
            with(
                &resource("http://x/a.js", "script", 1.0, 1.0, 1.0),
                r#""renderBlockingStatus":"non-blocking""#,
            ),
        ]);
        assert_eq!(s.render_blocking_status, Availability::Available);
        assert_eq!(s.total.render_blocking, Some(1));
        assert_eq!(
            s.by_type[&ResourceType::Stylesheet].render_blocking,
            Some(1)
        );
        assert_eq!(s.by_type[&ResourceType::Font].render_blocking, Some(0));
    }

    #[test]
    fn cache_hits_by_delivery_type_by_sizes_or_by_the_response_record() {
        let s = summary(&[
            with(
                &resource("http://x/1.js", "script", 0.0, 10.0, 10.0),
                r#""deliveryType":"cache""#,
            ),
            resource("http://x/2.js", "script", 0.0, 10.0, 10.0),
            // Cross-origin without TAO: all sizes 0, not a hit by sizes...
            resource("https://cdn.example/3.js", "script", 0.0, 0.0, 0.0),
            // ...unless webRequest says so.
            resource("https://cdn.example/4.js", "script", 0.0, 0.0, 0.0),
            r#"{"response":{"url":"https://cdn.example/4.js","status":200,"fromCache":true,
                "type":"script","headers":{}}}"#
                .into(),
            // A 304 revalidation crossed the network.
            resource("http://x/5.js", "script", 300.0, 10.0, 10.0),
        ]);
        assert_eq!(s.total.cache_hits, 3);
    }

    #[test]
    fn server_timing_from_entries_else_from_the_header() {
        let s = summary(&[
            with(
                NAV,
                r#""serverTiming":[{"name":"db","duration":53,"description":""}]"#,
            ),
            resource("https://api.other.com/a", "fetch", 0.0, 0.0, 0.0),
            response(
                "https://api.other.com/a",
                "xmlhttprequest",
                r#""server-timing":"cdn-cache;desc=HIT, edge;dur=4.5""#,
            ),
            resource("https://api.other.com/b", "fetch", 0.0, 0.0, 0.0),
            response(
                "https://api.other.com/b",
                "xmlhttprequest",
                r#""server-timing":"""#,
            ),
        ]);
        assert_eq!(s.server_timing.len(), 2);
        assert_eq!(s.server_timing[0].url, "http://x/");
        assert_eq!(s.server_timing[0].source, ServerTimingSource::Entry);
        assert_eq!(s.server_timing[1].source, ServerTimingSource::Header);
        assert_eq!(s.server_timing[1].metrics[0].description, "HIT");
        assert_eq!(s.server_timing[1].metrics[1].duration, 4.5);
        // Both cross-origin responses lack Timing-Allow-Origin.
        assert_eq!(
            s.timing_hidden,
            ["https://api.other.com/a", "https://api.other.com/b"]
        );
    }

    #[test]
    fn timing_allow_origin_star_or_the_page_origin_exposes_timing() {
        let s = summary(&[
            resource("https://a.com/1", "fetch", 0.0, 0.0, 0.0),
            response(
                "https://a.com/1",
                "xmlhttprequest",
                r#""timing-allow-origin":"*""#,
            ),
            resource("https://a.com/2", "fetch", 0.0, 0.0, 0.0),
            response(
                "https://a.com/2",
                "xmlhttprequest",
                r#""timing-allow-origin":"https://y, http://x""#,
            ),
            resource("https://a.com/3", "fetch", 0.0, 0.0, 0.0),
            response(
                "https://a.com/3",
                "xmlhttprequest",
                r#""timing-allow-origin":"https://y""#,
            ),
            // No response record: unknown, not flagged.
            resource("https://a.com/4", "fetch", 0.0, 0.0, 0.0),
            // Same origin never hides its timing.
            resource("http://x/5", "fetch", 0.0, 0.0, 0.0),
            response("http://x/5", "xmlhttprequest", ""),
        ]);
        assert_eq!(s.timing_hidden, ["https://a.com/3"]);
    }

    #[test]
    fn response_records_join_by_url_first_unmatched_first() {
        let s = summary(&[
            resource("http://x/a", "other", 1.0, 1.0, 1.0),
            resource("http://x/a", "other", 2.0, 1.0, 1.0),
            response("http://x/a", "stylesheet", ""),
            response("http://x/a", "font", ""),
            response("http://x/unused", "script", ""),
        ]);
        assert_eq!(s.by_type[&ResourceType::Stylesheet].transfer_size, 1.0);
        assert_eq!(s.by_type[&ResourceType::Font].transfer_size, 2.0);
        assert_eq!(s.by_type[&ResourceType::Script].requests, 0);
    }

    #[test]
    fn classification_prefers_the_browsers_own_signals() {
        use ResourceType::*;
        let c = classify;
        assert_eq!(c("link", "http://x/a", "", Some("stylesheet")), Stylesheet);
        assert_eq!(c("script", "http://x/a.css", "", Some("other")), Script);
        assert_eq!(
            c("link", "http://x/a", "text/css; charset=utf-8", None),
            Stylesheet
        );
        assert_eq!(c("css", "http://x/f?v=2", "font/woff2", None), Font);
        assert_eq!(c("css", "http://x/f.woff2?v=2", "", None), Font);
        assert_eq!(c("css", "http://x/bg.PNG#x", "", None), Image);
        assert_eq!(c("link", "http://x/m.mjs", "", None), Script);
        assert_eq!(
            c("other", "http://x/p", "application/javascript", None),
            Script
        );
        assert_eq!(
            c("fetch", "http://x/data.js", "text/javascript", None),
            Other
        );
        assert_eq!(c("iframe", "http://x/frame", "", None), Document);
        assert_eq!(c("video", "http://x/v", "", None), Media);
        assert_eq!(c("link", "http://x/", "", None), Other);
        assert_eq!(c("link", "http://x.com", "", None), Other);
        assert_eq!(c("", "data:image/png;base64,xx", "", None), Other);
        assert_eq!(
            c("other", "http://x/a", "application/x-font-ttf", None),
            Font
        );
    }

    #[test]
    fn registrable_domains_use_the_public_suffix_list() {
        assert_eq!(registrable_domain("www.example.co.uk"), "example.co.uk");
        assert_eq!(registrable_domain("user.github.io"), "user.github.io");
        assert_eq!(registrable_domain("a.b.example.com"), "example.com");
        assert_eq!(registrable_domain("127.0.0.1"), "127.0.0.1");
        assert_eq!(registrable_domain("[::1]"), "[::1]");
        assert_eq!(registrable_domain("localhost"), "localhost");
        assert_eq!(registrable_domain("app.localhost"), "localhost");
        assert_eq!(
            host("https://u:p@Sub.Example.com:8443/x?y#z"),
            Some("Sub.Example.com")
        );
        assert_eq!(host("http://[::1]:8080/"), Some("[::1]"));
        assert_eq!(host("data:text/plain,hi"), None);
        assert_eq!(host("blob:https://a.com/uuid"), None);
        assert_eq!(host("file:///tmp/x.html"), None);
        assert_eq!(
            origin("https://u@A.com:8443/x").as_deref(),
            Some("https://a.com:8443")
        );
    }

    #[test]
    fn ip_pages_and_hostless_urls() {
        let s = summary_at(
            "http://127.0.0.1:8000/",
            &[
                NAV.into(),
                resource("http://127.0.0.1:8001/a.js", "script", 1.0, 1.0, 1.0),
                resource("http://localhost:8000/b.js", "script", 1.0, 1.0, 1.0),
                resource("blob:http://127.0.0.1:8000/uuid", "fetch", 1.0, 1.0, 1.0),
            ],
        );
        // A different port is the same domain: first party; localhost is another.
        assert_eq!(s.by_domain["127.0.0.1"].totals.requests, 2);
        assert!(!s.by_domain["localhost"].first_party);
        assert!(s.by_domain["blob:"].first_party);
        assert_eq!((s.first_party.requests, s.third_party.requests), (3, 1));
    }

    #[test]
    fn largest_ten_by_transfer_size_with_url_tie_break() {
        let mut records: Vec<String> = (0..12)
            .map(|i| {
                resource(
                    &format!("http://x/{i:02}.png"),
                    "img",
                    f64::from(i % 6),
                    0.0,
                    0.0,
                )
            })
            .collect();
        records.push(NAV.into());
        let s = summary(&records);
        assert_eq!(s.largest.len(), LARGEST);
        let urls: Vec<&str> = s.largest.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            &urls[..4],
            [
                "http://x/05.png",
                "http://x/11.png",
                "http://x/04.png",
                "http://x/10.png"
            ]
        );
    }

    #[test]
    fn absent_where_resource_timing_is_unsupported_and_stops_at_a_later_restore() {
        let log = log_supporting(&["paint"], &resource("http://x/a", "img", 1.0, 1.0, 1.0));
        assert!(resources(&log, &PageView::new(&log)).is_none());
        let s = summary(&[
            r#"{"lifecycle":"pageshow","persisted":true,"time":5}"#.into(),
            resource("http://x/a", "img", 1.0, 1.0, 1.0),
        ]);
        // The resource started at 10, after the restore at 5.
        assert_eq!(s.total.requests, 0);
    }

    #[test]
    fn origins_are_compared_as_the_lower_case_origin() {
        let urls = [
            "https://Shop.Example:8443/a?b#c",
            "https://shop.example:8443",
            "HTTPS://shop.example:8443/",
            "https://user@shop.example:8443/x",
            "https://shop.example/",
            "http://shop.example:8443/",
            "blob:https://shop.example:8443/1",
            "data:text/plain,https://shop.example:8443",
            "https://[::1]:8443/",
            "https://shop.example:84430/",
        ];
        for url in urls {
            for page in urls {
                let Some(o) = origin(page) else { continue };
                assert_eq!(
                    has_origin(url, &o),
                    origin(url) == Some(o.clone()),
                    "{url} {o}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_largest_are_the_head_of_a_stable_sort_of_all(
            requests in proptest::collection::vec((0..4u8, 0..4u8), 0..40),
        ) {
            let records: Vec<String> = requests
                .iter()
                .map(|(u, t)| resource(&format!("http://x/{u}"), "img", f64::from(*t), 1.0, 1.0))
                .collect();
            let largest: Vec<(String, f64)> = summary(&records)
                .largest
                .into_iter()
                .map(|r| (r.url, r.transfer_size))
                .collect();
            let mut sorted: Vec<(String, f64)> = requests
                .iter()
                .map(|(u, t)| (format!("http://x/{u}"), f64::from(*t)))
                .collect();
            sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            sorted.truncate(LARGEST);
            proptest::prop_assert_eq!(largest, sorted);
        }
    }
}
