"""Loopback pages whose scripts do what real pixels do: hash what is typed, send the page address,
fingerprint the canvas, ignore a rejected cookie banner."""

from __future__ import annotations

# A Meta-pixel-like script: PageView with the page address, then on blur the e-mail address
# lower-cased, trimmed and SHA-256-hashed ("advanced matching"); the message goes out as a beacon.
PIXEL_JS = """(function(){
  var tr = 'https://' + ['www', 'facebook', 'com'].join('.') + '/tr';
  new Image().src = tr + '?id=42&ev=PageView&dl=' + encodeURIComponent(location.href);
  function hex(buf){ return Array.from(new Uint8Array(buf)).map(function(b){ return b.toString(16).padStart(2,'0'); }).join(''); }
  document.addEventListener('blur', function(e){
    var el = e.target;
    if (el.type === 'email' && el.value) {
      crypto.subtle.digest('SHA-256', new TextEncoder().encode(el.value.trim().toLowerCase())).then(function(d){
        new Image().src = tr + '?id=42&ev=Lead&ud[em]=' + hex(d) + '&dl=' + encodeURIComponent(location.href);
      });
    }
    if (el.tagName === 'TEXTAREA' && el.value) {
      navigator.sendBeacon('https://' + ['www', 'google-analytics', 'com'].join('.') + '/g/collect?v=2&en=form_field',
                           'ep.message=' + encodeURIComponent(el.value));
    }
  }, true);
})();"""

BOOKING_FORM = """<!doctype html><html><head><title>Book now</title>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script></head><body>
<h1>Book a session</h1>
<form action="/thanks" method="post">
<label for="e">Your e-mail</label><input id="e" type="email" name="email">
<label for="n">Full name</label><input id="n" name="full_name">
<input id="ph" type="tel" placeholder="Phone number">
<label for="w">What brings you here?</label><textarea id="w"></textarea>
<button>Send</button></form>
<a href="/privacy">Privacy</a></body></html>"""

# A script that draws text on a canvas and reads it back; a first-party chart that only draws a
# rectangle is not fingerprinting.
FINGERPRINT_JS = """(function(){
  var c = document.createElement('canvas'); c.width = 240; c.height = 60;
  var x = c.getContext('2d'); x.textBaseline = 'top'; x.font = '14px Arial'; x.fillStyle = '#f60';
  x.fillRect(10, 10, 100, 30); x.fillStyle = '#069'; x.fillText('Cwm fjordbank glyphs vext quiz', 2, 15);
  window.__fp = c.toDataURL();
})();"""

FINGERPRINT_HOME = """<!doctype html><html><head><title>Welcome</title>
<script src="https://static.hotjar.com/fp.js"></script></head><body><h1>Welcome</h1>
<canvas id="chart" width="100" height="40"></canvas>
<script>var k = document.getElementById('chart').getContext('2d'); k.fillRect(0, 0, 50, 20);
document.getElementById('chart').toDataURL();</script>
<a href="/privacy">Privacy</a></body></html>"""

# "Reject" runs the same code as "Accept": the banner changes nothing.
CONSENT_BOTH = """<!doctype html><html><head><title>Consent</title></head><body>
<div id="banner"><p>We use cookies.</p>
<button id="onetrust-accept-btn-handler" onclick="go()">Accept all</button>
<button id="onetrust-reject-all-handler" onclick="go()">Reject all</button></div>
<script>function go(){ var s=document.createElement('script');
 s.src='https://'+['connect','facebook','net'].join('.')+'/en_US/fbevents.js'; document.head.appendChild(s);
 document.getElementById('banner').remove(); }</script>
<a href="/privacy">Privacy</a></body></html>"""

# A banner that keeps its word: Reject only hides it.
CONSENT_HONEST = CONSENT_BOTH.replace('id="onetrust-reject-all-handler" onclick="go()"',
                                      'id="onetrust-reject-all-handler" '
                                      'onclick="document.getElementById(`banner`).remove()"')

# A site whose intake form is two links away from the home page, and not in `pages:`.
DEEP_HOME = """<!doctype html><html><head><title>Lakeside</title></head><body>
<a href="/about">About us</a> <a href="/blog/post-1.pdf">Leaflet</a> <a href="https://elsewhere.test/">Friends</a>
<a href="/privacy">Privacy</a></body></html>"""
DEEP_ABOUT = """<!doctype html><html><head><title>About</title></head><body>
<a href="/team">Our team</a> <a href="/book-now">Start here</a></body></html>"""
DEEP_TEAM = """<!doctype html><html><head><title>Team</title></head><body><p>Our therapists.</p></body></html>"""
DEEP_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://lakeside.test/insurance</loc></url><url><loc>https://elsewhere.test/x</loc></url>
</urlset>"""

# A chat widget's WebSocket that receives the e-mail address as it is typed; trackers that arrive at
# run time: the Meta pixel added by the page's own script after a timeout, Hotjar inside a vendor's
# frame; a select of concerns whose pick an analytics tag sends on change.
CHAT_PAGE = """<!doctype html><html><head><title>Contact</title><script src="/chat.js"></script></head><body>
<form action="/thanks" method="post">
<label for="e">E-mail</label><input id="e" type="email" name="email">
<label for="c">What would you like help with?</label>
<select id="c" name="concern"><option value="">Choose one</option><option value="anxiety-panic">Anxiety &amp; panic</option>
<option value="depression">Depression</option></select>
<label><input type="radio" name="mode" value="telehealth-video"> Video sessions</label>
<label><input type="checkbox" name="sms_ok" value="sms-reminders"> Text me reminders</label>
<button>Send</button></form>
<iframe src="https://forms.intake-hub.test/frame" width="300" height="100"></iframe></body></html>"""
CHAT_JS = """(function(){
  var ws = new WebSocket('wss://' + ['cdn', 'listed-only', 'test'].join('.') + '/live');
  document.addEventListener('blur', function(e){
    if (e.target.type === 'email' && e.target.value && ws.readyState === 1)
      ws.send(JSON.stringify({visitor: {email: e.target.value}}));
  }, true);
  document.addEventListener('change', function(e){
    if (e.target.tagName === 'SELECT')
      new Image().src = 'https://' + ['www', 'google-analytics', 'com'].join('.') + '/g/collect?v=2&en=select&ep.c='
        + encodeURIComponent(e.target.options[e.target.selectedIndex].text);
  }, true);
  setTimeout(function(){ var s = document.createElement('script');
    s.src = 'https://' + ['connect', 'facebook', 'net'].join('.') + '/en_US/fbevents.js'; document.head.appendChild(s); }, 1200);
})();"""
VENDOR_FRAME = """<!doctype html><html><body><p>Book with us</p><script>setTimeout(function(){
  var s = document.createElement('script'); s.src = 'https://static.hotjar.com/c/hotjar-42.js';
  document.body.appendChild(s); }, 500);</script></body></html>"""
