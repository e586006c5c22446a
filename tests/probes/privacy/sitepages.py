"""HTML of the test websites: a clean practice site, a site full of tags, a JavaScript-only site."""

from __future__ import annotations

FOOTER = '<footer><a href="/privacy">Privacy Policy</a></footer>'

CLEAN_HOME = f"""<!doctype html><html><head><title>Lakeside Counseling</title>
<link rel="stylesheet" href="/style.css"><script src="/site.js"></script></head>
<body><h1>Welcome</h1><img src="/img/office.jpg" alt="Our office">
<a href="/contact">Contact us</a>{FOOTER}</body></html>"""

CLEAN_CONTACT = f"""<!doctype html><html><head><title>Contact</title></head><body>
<form action="/contact" method="post">
  <label for="n">Your name</label><input id="n" name="name">
  <label for="e">Email</label><input id="e" type="email" name="email">
  <label>How can we help?<textarea name="message"></textarea></label>
  <button>Send</button>
</form>{FOOTER}</body></html>"""

# The vendors' own snippets, as a web agency would paste them.
TAGGED_HOME = """<!doctype html><html><head><title>Sunny Therapy</title>
<!-- Google Tag Manager -->
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-TEST42');</script>
<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST42"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}
gtag('js', new Date()); gtag("config", "G-TEST42");</script>
<!-- Meta Pixel Code -->
<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;
n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '4242424242'); fbq('track', 'PageView');</script>
<noscript><img height="1" width="1" style="display:none"
src="https://www.facebook.com/tr?id=4242424242&ev=PageView&noscript=1"/></noscript>
<!-- Hotjar Tracking Code -->
<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
h._hjSettings={hjid:42,hjsv:6};a=o.getElementsByTagName('head')[0];r=o.createElement('script');r.async=1;
r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;a.appendChild(r);
})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>
<!-- TikTok Pixel Code -->
<script>!function (w, d, t) { w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];
ttq.load=function(e,n){var r="https://analytics.tiktok.com/i18n/pixel/events.js";};
ttq.load('TESTPIXEL42'); ttq.page(); }(window, document, 'ttq');</script>
<!-- LinkedIn Insight Tag -->
<script type="text/javascript">_linkedin_partner_id = "424242"; window._linkedin_data_partner_ids =
window._linkedin_data_partner_ids || []; window._linkedin_data_partner_ids.push(_linkedin_partner_id);</script>
<script type="text/javascript" src="https://snap.licdn.com/li.lms-analytics/insight.min.js"></script>
<noscript><img height="1" width="1" style="display:none;" alt=""
src="https://px.ads.linkedin.com/collect/?pid=424242&fmt=gif" /></noscript>
</head><body><h1>Sunny Therapy</h1><a href="/intake">Start intake</a></body></html>"""

INTAKE = """<!doctype html><html><head><title>Intake</title>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script></head><body>
<img src="https://bat.bing.com/action/0?ti=42&Ver=2" width="1" height="1" alt="">
<form action="https://forms.intake-hub.test/submit" method="POST">
  <label for="fn">Full name</label><input id="fn" name="full_name">
  <label for="dob">Date of birth</label><input id="dob" type="date" name="dob">
  <label for="dx">Previous diagnosis</label><input id="dx" name="q4">
  <input name="currentMedications" placeholder="Current medications">
  <label>Insurance member ID <input name="member_id"></label>
  <input type="hidden" name="source" value="web">
  <button type="submit">Send</button>
</form></body></html>"""

# Nothing in the HTML names a tracker: a first-party script adds them when the page runs.
INJECTED_HOME = """<!doctype html><html><head><title>Injected</title><script src="/app.js"></script>
</head><body><h1>Hello</h1><a href="/privacy-notice">Notice of Privacy Practices</a></body></html>"""

INJECTOR_JS = """(function(){
  var host = ['www', 'googletagmanager', 'com'].join('.');
  var s = document.createElement('script'); s.src = 'https://' + host + '/gtm.js?id=GTM-HIDDEN';
  document.head.appendChild(s);
  var px = new Image(); px.src = 'https://' + ['www', 'facebook', 'com'].join('.') + '/tr?id=1&ev=PageView';
  document.cookie = '_ga=GA1.1.42.42; path=/';
})();"""

CONSENT_HOME = """<!doctype html><html><head><title>Consent</title></head><body>
<div id="banner"><p>We use cookies.</p><button id="onetrust-accept-btn-handler" onclick="accept()">Accept all</button></div>
<script>function accept(){ var s=document.createElement('script');
 s.src='https://'+['connect','facebook','net'].join('.')+'/en_US/fbevents.js'; document.head.appendChild(s);
 document.getElementById('banner').remove(); }</script>
<a href="/privacy">Privacy</a></body></html>"""

# An intake form served by another company inside an iframe: its fields only exist in the frame.
BOOKING = """<!doctype html><html><head><title>Book</title></head><body>
<iframe src="https://forms.intake-hub.test/embed" width="600" height="400"></iframe>
<a href="/privacy">Privacy</a></body></html>"""

EMBEDDED_FORM = """<!doctype html><html><body><form action="/submit" method="post">
<label for="s">What symptoms bring you here?</label><textarea id="s" name="symptoms"></textarea>
<button>Send</button></form></body></html>"""
