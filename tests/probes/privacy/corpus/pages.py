"""43 small-practice pages (therapy, counselling, dental, other health) and what each one shows.

The markup follows what the builders publish (WordPress with Elementor, Gravity Forms or Contact
Form 7, Squarespace, Wix, Jotform and Typeform embeds, hand-written sites) with the vendors' own
tag snippets. `trackers` lists, per page, every tracking product a reader of the HTML can see
loading (by product, as the tracker database names products); `forms` counts the forms whose
fields are in the HTML and collect data (a search box does not; inputs a builder's script sends
without a <form> element do); `health_forms` those of them that ask about health; `embedded_forms`
counts forms inside another company's frame or script, whose fields the HTML does not hold. Each
truth was written from reading the page, not from the scanner's output.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import forms as f
from . import snippets as s


@dataclass(frozen=True)
class CorpusPage:
    name: str
    kind: str  # therapy, counselling, dental, health
    html: str
    trackers: frozenset[str]
    forms: int = 0
    health_forms: int = 0
    embedded_forms: int = 0


def wordpress(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US"><head>
<meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/block-library/style.min.css?ver=6.4.2' media='all' />
<link rel='stylesheet' id='elementor-frontend-css' href='/wp-content/plugins/elementor/assets/css/frontend.min.css?ver=3.18.3' media='all' />
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="/wp-json/" /><link rel="EditURI" type="application/rsd+xml" title="RSD" href="/xmlrpc.php?rsd" />
{head}
</head>
<body class="home page-template-default page elementor-default elementor-kit-5">
<header class="site-header"><nav class="main-navigation"><ul id="primary-menu" class="menu">
<li><a href="/">Home</a></li><li><a href="/about/">About</a></li><li><a href="/services/">Services: anxiety, depression, trauma</a></li>
<li><a href="/contact/">Contact</a></li></ul><button class="menu-toggle" aria-controls="primary-menu">Menu</button></nav></header>
<main id="primary" class="site-main"><h1 class="entry-title">{title}</h1>
{body}
</main>
<footer class="site-footer"><p>&copy; 2026 {title}</p><a href="/privacy-policy/">Privacy Policy</a></footer>
<script src="/wp-content/plugins/contact-form-7/includes/js/index.js?ver=5.8" id="contact-form-7-js"></script>
</body></html>"""


def squarespace(title: str, head: str, body: str) -> str:
    return f"""<!doctype html>
<html xmlns:og="http://opengraphprotocol.org/schema/" lang="en-US"><head>
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="shortcut icon" type="image/x-icon" href="https://images.squarespace-cdn.com/content/v1/favicon.ico"/>
<script type="text/javascript" src="//use.typekit.net/ik/abc.js" async fetchpriority="high"></script>
<script crossorigin="anonymous" src="https://assets.squarespace.com/universal/scripts-compressed/common-vendors-stable-abc-min.en-US.js" defer></script>
<script data-name="static-context">Static = window.Static || {{}}; Static.SQUARESPACE_CONTEXT = {{"facebookAppId":"314192535267336","facebookApiVersion":"v6.0","rollups":{{}},"pageType":2,"website":{{"id":"5f1a","siteTitle":"{title}","timeZone":"America/Chicago"}},"websiteSettings":{{"storeSettings":{{}}}}}};</script>
{head}
</head>
<body id="collection-5f1b" class="header--menu-open tweak-social-icons-style-regular">
<header class="Header"><nav class="Header-nav"><a href="/">Home</a><a href="/services">Services</a><a href="/contact">Contact</a></nav></header>
<main class="Index"><section class="page-section"><div class="sqs-block html-block"><div class="sqs-block-content"><h1>{title}</h1>
{body}
</div></div></section></main>
<footer class="Footer"><a href="/privacy">Privacy &amp; HIPAA notice</a></footer>
<script type="text/javascript" data-sqs-type="imageloader-bootstrapper">(function() {{if(window.ImageLoader) {{ window.ImageLoader.bootstrap({{}}, document); }}}})();</script>
</body></html>"""


def wix(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset='utf-8'><meta name="viewport" content="width=device-width, initial-scale=1" id="wixDesktopViewport" />
<meta name="generator" content="Wix.com Website Builder"/>
<title>{title}</title>
<link rel="preconnect" href="https://static.parastorage.com" crossorigin>
<script type="application/json" id="wix-essential-viewer-model">{{"fleetConfig":{{"fleetName":"thunderbolt-seo-renderer","type":"GA","code":0}},"mode":{{"qa":false,"ssrIndicator":true}},"siteFeaturesConfigs":{{}},"site":{{"isResponsive":true}}}}</script>
<script src="https://static.parastorage.com/services/wix-thunderbolt/dist/main.renderer.js" defer></script>
{head}
</head>
<body><div id="SITE_CONTAINER"><div id="main_MF"><div id="SCROLL_TO_TOP"></div>
<header id="SITE_HEADER"><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/book-online">Book online</a></nav><button aria-label="Open site navigation">Menu</button></header>
<main id="PAGES_CONTAINER"><h1 class="font_0 wixui-rich-text__text">{title}</h1>
{body}
</main>
<footer id="SITE_FOOTER"><a href="/privacy-policy">Privacy Policy</a></footer></div></div>
</body></html>"""


def plain(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/css/style.css">
{head}
</head><body>
<div id="header"><a href="/"><img src="/images/logo.png" alt="{title}"></a>
<ul class="nav"><li><a href="/">Home</a></li><li><a href="/services.html">Services</a></li><li><a href="/contact.html">Contact</a></li></ul></div>
<div id="content"><h1>{title}</h1>
{body}
</div>
<div id="footer"><a href="/notice-of-privacy-practices.html">Notice of Privacy Practices</a></div>
</body></html>"""


TEXT = "<p>We offer a warm, confidential space for individuals, couples and families.</p>"

PAGES: tuple[CorpusPage, ...] = (
    # --- therapy --------------------------------------------------------------------------------
    CorpusPage("01-wp-gtm-container", "therapy", wordpress(
        "Mindful Path Therapy", s.gtm("GTM-K7XQ2PL"), s.gtm_noscript("GTM-K7XQ2PL") + TEXT + f.CF7_CONTACT),
        frozenset({"Google Tag Manager"}), forms=1),
    CorpusPage("02-wp-gtag-ga4-only", "therapy", wordpress(
        "Quiet Harbor Counseling", s.gtag("G-8HZ3K2LQ9M"), TEXT + f.CF7_CONTACT),
        frozenset({"Google Analytics 4"}), forms=1),
    CorpusPage("03-wp-preconnect-only", "therapy", wordpress(
        "North Star Psychotherapy", s.PRECONNECT_GOOGLE + s.GOOGLE_FONTS, TEXT + f.SEARCH),
        frozenset()),
    CorpusPage("04-wp-gtag-ga4-and-ads", "therapy", wordpress(
        "Bright Horizons Therapy", s.gtag("G-Q1W2E3R4T5", "AW-10987654321"), TEXT + f.GRAVITY_INTAKE),
        frozenset({"Google Analytics 4", "Google Ads"}), forms=1, health_forms=1),
    CorpusPage("05-wp-sitekit-google-tag", "therapy", wordpress(
        "Willow Creek Therapy", s.sitekit("GT-NFXK4Q8L"), TEXT + f.ELEMENTOR_PLACEHOLDERS),
        frozenset({"Google tag"}), forms=1, health_forms=1),
    CorpusPage("06-wp-meta-pixel-intake", "therapy", wordpress(
        "Open Door Therapy", s.meta_pixel("1234567890123456") + s.gtag("G-ZX9C8V7B6N"), TEXT + f.GRAVITY_INTAKE),
        frozenset({"Meta Pixel", "Google Analytics 4"}), forms=1, health_forms=1),
    CorpusPage("07-sqs-whats-going-on", "therapy", squarespace(
        "Sunrise Wellness Therapy", s.gtag("G-SQ12345678"), TEXT + f.SQUARESPACE_FORM),
        frozenset({"Google Analytics 4"}), forms=1, health_forms=1),
    CorpusPage("08-wix-formless", "therapy", wix(
        "Cedar Grove Therapy", s.gtm("GTM-WX3ABCD"), TEXT + f.WIX_FORMLESS),
        frozenset({"Google Tag Manager"}), forms=1, health_forms=1),
    CorpusPage("09-plain-ga-js-document-write", "therapy", plain(
        "Dr. Ellen Marsh, PhD", "", TEXT + f.ID_ONLY_CONTACT + s.ga_js_document_write("UA-1234567-1")),
        frozenset({"Universal Analytics"}), forms=1),
    CorpusPage("10-plain-gaq-async", "therapy", plain(
        "Riverbend Family Therapy", s.gaq_async("UA-7654321-2"), TEXT + f.RADIO_FIELDSET),
        frozenset({"Universal Analytics"}), forms=1, health_forms=1),
    CorpusPage("11-wp-analytics-js-hotjar", "therapy", wordpress(
        "Lighthouse Therapy Group", s.analytics_js("UA-2345678-3") + s.hotjar(3456789), TEXT + f.CF7_SMS_CONSENT),
        frozenset({"Universal Analytics", "Hotjar"}), forms=1),
    CorpusPage("12-wp-data-attribute-ga4", "therapy", wordpress(
        "Serenity Counseling Studio", s.data_attribute_loader("G-DA7A1D2345"), TEXT + f.CF7_CONTACT),
        frozenset({"Google Analytics 4"}), forms=1),
    CorpusPage("13-json-config-gtm", "therapy", plain(
        "Evergreen Mind Therapy", s.json_config("gtmContainer", "GTM-J50N123"), TEXT + f.DENTAL_SYMPTOMS),
        frozenset({"Google Tag Manager"}), forms=1, health_forms=1),
    CorpusPage("14-window-config-ga4", "therapy", plain(
        "Anchor Point Therapy", s.window_config("gaMeasurementId", "G-W1ND0W2345"), TEXT + f.NEWSLETTER),
        frozenset({"Google Analytics 4"}), forms=1),
    CorpusPage("15-callrail-gtm", "therapy", wordpress(
        "Pathways Counseling Center", s.gtm("GTM-CR4LL12") + s.CALLRAIL, s.gtm_noscript("GTM-CR4LL12") + TEXT),
        frozenset({"Google Tag Manager", "CallRail call tracking"})),
    CorpusPage("16-ctm-clarity", "therapy", wordpress(
        "Blue Ridge Therapy", s.CALLTRACKINGMETRICS + s.clarity("k3l4m5n6o7"), TEXT + f.CF7_CONTACT),
        frozenset({"CallTrackingMetrics call tracking", "Microsoft Clarity"}), forms=1),
    CorpusPage("17-simplepractice-widget", "therapy", squarespace(
        "Jane Doe, LMFT", "", TEXT + s.SIMPLEPRACTICE + s.PSYCHOLOGY_TODAY),
        frozenset()),
    CorpusPage("18-therapynotes-portal-link", "therapy", plain(
        "Oak Street Psychology", s.gtag("G-0AK5TREET1"), TEXT + s.THERAPYNOTES),
        frozenset({"Google Analytics 4"})),
    CorpusPage("19-consent-held-tags", "therapy", wordpress(
        "Harborview Therapy", s.consent_held_gtag("G-C0NSENT123"), TEXT + f.CF7_CONTACT),
        frozenset({"Google Analytics 4"}), forms=1),
    CorpusPage("20-jotform-iframe", "therapy", wix(
        "Still Waters Therapy", s.meta_noscript_only("2345678901234567"), TEXT + f.JOTFORM_IFRAME),
        frozenset({"Meta Pixel", "Jotform"}), embedded_forms=1),
    CorpusPage("21-typeform-embed", "therapy", squarespace(
        "Compass Rose Therapy", s.TIKTOK, TEXT + f.TYPEFORM),
        frozenset({"TikTok Pixel", "Typeform"}), embedded_forms=1),
    CorpusPage("22-hubspot-form-embed", "therapy", wordpress(
        "Thrive Therapy Collective", s.HUBSPOT, TEXT + f.HUBSPOT_FORM_EMBED),
        frozenset({"HubSpot tracking code", "HubSpot forms and chat"}), embedded_forms=1),
    # --- counselling ----------------------------------------------------------------------------
    CorpusPage("23-uk-counselling-fullstory", "counselling", wordpress(
        "Meadow Counselling", s.FULLSTORY + s.gtag("G-UKC0UN5EL1"), TEXT + f.ELEMENTOR_PLACEHOLDERS),
        frozenset({"FullStory", "Google Analytics 4"}), forms=1, health_forms=1),
    CorpusPage("24-counselling-linkedin-bing", "counselling", wordpress(
        "Clearwater Counselling", s.LINKEDIN + s.BING_UET, TEXT + f.CF7_CONTACT),
        frozenset({"LinkedIn Insight Tag", "Microsoft Advertising Universal Event Tracking (UET)"}), forms=1),
    CorpusPage("25-counselling-mouseflow-lucky", "counselling", plain(
        "Kindred Counselling", s.MOUSEFLOW + s.LUCKY_ORANGE, TEXT + f.RADIO_FIELDSET),
        frozenset({"Mouseflow", "Lucky Orange"}), forms=1, health_forms=1),
    CorpusPage("26-counselling-segment-mixpanel", "counselling", plain(
        "Hearth Counselling Online", s.SEGMENT + s.MIXPANEL, TEXT + f.ID_ONLY_CONTACT),
        frozenset({"Segment", "Mixpanel"}), forms=1),
    CorpusPage("27-counselling-heap-matomo", "counselling", squarespace(
        "Stillpoint Counselling", s.HEAP + s.MATOMO_CLOUD, TEXT + f.SQUARESPACE_FORM),
        frozenset({"Heap", "Matomo Cloud"}), forms=1, health_forms=1),
    CorpusPage("28-counselling-fb-plugin", "counselling", wordpress(
        "Tidewater Counselling", s.PRECONNECT_FACEBOOK, TEXT + s.FACEBOOK_PAGE_PLUGIN + f.NEWSLETTER),
        frozenset({"Facebook social plugins and content"}), forms=1),
    CorpusPage("29-counselling-youtube-maps", "counselling", plain(
        "Greenfield Counselling", s.JQUERY, TEXT + s.YOUTUBE + s.MAPS_EMBED + f.ID_ONLY_CONTACT),
        frozenset({"YouTube embeds (standard mode)"}), forms=1),
    CorpusPage("30-counselling-whatconverts-invoca", "counselling", wordpress(
        "Summit Counselling Services", s.WHATCONVERTS + s.INVOCA, TEXT),
        frozenset({"WhatConverts call and form tracking", "Invoca call tracking"})),
    # --- dental ---------------------------------------------------------------------------------
    CorpusPage("31-dental-ads-conversion", "dental", wordpress(
        "Lakeside Family Dental", s.google_ads_conversion("987654321") + s.gtag("G-DENTAL1234"),
        TEXT + f.DENTAL_APPOINTMENT),
        frozenset({"Google Ads", "Google Analytics 4"}), forms=1),
    CorpusPage("32-dental-jotform-source", "dental", plain(
        "Bright Smiles Dentistry", s.meta_pixel("3456789012345678", noscript=False), TEXT + f.JOTFORM_SOURCE),
        frozenset({"Meta Pixel"}), forms=1, health_forms=1),
    CorpusPage("33-dental-floodlight-gtm", "dental", wordpress(
        "Parkside Dental Group", s.gtm("GTM-FL00D12"), s.gtm_noscript("GTM-FL00D12") + s.floodlight("1234567", "visit0")
        + TEXT + f.DENTAL_SYMPTOMS),
        frozenset({"Google Tag Manager", "Floodlight (Campaign Manager 360)"}), forms=1, health_forms=1),
    CorpusPage("34-dental-zocdoc-podium", "dental", wix(
        "Maple Dental Studio", s.PODIUM, TEXT + s.ZOCDOC),
        frozenset({"Podium webchat and reviews"})),
    CorpusPage("35-dental-birdeye-yelp", "dental", squarespace(
        "Harbor Point Dental", s.BIRDEYE, TEXT + s.YELP_BADGE + f.DENTAL_APPOINTMENT),
        frozenset({"Birdeye webchat and review widgets", "Yelp review badges and embeds"}), forms=1),
    CorpusPage("36-dental-pinterest-snap", "dental", wordpress(
        "Sparkle Cosmetic Dentistry", s.PINTEREST + s.SNAP, TEXT + f.DENTAL_APPOINTMENT),
        frozenset({"Pinterest Tag", "Snap Pixel"}), forms=1),
    CorpusPage("37-dental-adroll-stackadapt", "dental", wordpress(
        "Crestview Dental", s.ADROLL + s.STACKADAPT + s.RECAPTCHA, TEXT + f.DENTAL_SYMPTOMS),
        frozenset({"AdRoll Pixel", "StackAdapt pixel"}), forms=1, health_forms=1),
    # --- other health ---------------------------------------------------------------------------
    CorpusPage("38-physio-reddit-quora", "health", wordpress(
        "Motion Physical Therapy", s.REDDIT + s.QUORA, TEXT + f.CF7_CONTACT),
        frozenset({"Reddit Pixel", "Quora Pixel"}), forms=1),
    CorpusPage("39-chiro-nextdoor-x", "health", plain(
        "Align Chiropractic", s.NEXTDOOR + s.X_PIXEL, TEXT + f.CF7_SMS_CONSENT),
        frozenset({"Nextdoor Pixel", "X Pixel (Twitter conversion tracking)"}), forms=1),
    CorpusPage("40-derm-criteo-taboola", "health", wordpress(
        "Clear Skin Dermatology", s.CRITEO + s.TABOOLA, TEXT + f.GRAVITY_INTAKE),
        frozenset({"Criteo OneTag", "Taboola Pixel"}), forms=1, health_forms=1),
    CorpusPage("41-optometry-outbrain-crazyegg", "health", squarespace(
        "Clearview Eye Care", s.OUTBRAIN + s.CRAZY_EGG, TEXT + f.SQUARESPACE_FORM),
        frozenset({"Outbrain Pixel", "Crazy Egg"}), forms=1, health_forms=1),
    CorpusPage("42-nutrition-no-trackers", "health", plain(
        "Nourish Nutrition Counseling", s.GOOGLE_FONTS + s.COOKIEYES, TEXT + f.WIX_FORMLESS),
        frozenset(), forms=1, health_forms=1),
    CorpusPage("43-acupuncture-gtm-and-ga4", "health", wordpress(
        "Balance Acupuncture", s.gtm("GTM-ACU1234") + s.gtag("G-ACUPUNCT12") + s.meta_pixel("4567890123456789"),
        s.gtm_noscript("GTM-ACU1234") + TEXT + f.CF7_CONTACT + f.SEARCH),
        frozenset({"Google Tag Manager", "Google Analytics 4", "Meta Pixel"}), forms=1),
)
