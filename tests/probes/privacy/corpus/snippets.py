"""Tags and forms as vendors and site builders publish them, for the small-practice page corpus.

Each snippet is the vendor's own installation code (IDs replaced), the way an agency or a site
builder pastes it; the corpus pages (pages.py) put them together and say what each page shows.
"""

from __future__ import annotations


def gtm(container: str) -> str:
    return f"""<!-- Google Tag Manager -->
<script>(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':
new Date().getTime(),event:'gtm.js'}});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
}})(window,document,'script','dataLayer','{container}');</script>
<!-- End Google Tag Manager -->"""


def gtm_noscript(container: str) -> str:
    return (f'<!-- Google Tag Manager (noscript) --><noscript><iframe src="https://www.googletagmanager.com/ns.html?id='
            f'{container}" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>')


def gtag(tag_id: str, *more: str) -> str:
    configs = "".join(f"\n  gtag('config', '{other}');" for other in more)
    return f"""<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id={tag_id}"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());

  gtag('config', '{tag_id}');{configs}
</script>"""


PRECONNECT_GOOGLE = """<link rel="preconnect" href="https://www.googletagmanager.com" crossorigin>
<link rel='dns-prefetch' href='//www.googletagmanager.com' />
<link rel="dns-prefetch" href="//www.google-analytics.com">"""

PRECONNECT_FACEBOOK = '<link rel="preconnect" href="https://connect.facebook.net">'


def analytics_js(ua: str) -> str:
    return f"""<script>
(function(i,s,o,g,r,a,m){{i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){{
(i[r].q=i[r].q||[]).push(arguments)}},i[r].l=1*new Date();a=s.createElement(o),
m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
}})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');
ga('create', '{ua}', 'auto');
ga('send', 'pageview');
</script>"""


def ga_js_document_write(ua: str) -> str:
    return f"""<script type="text/javascript">
var gaJsHost = (("https:" == document.location.protocol) ? "https://ssl." : "http://www.");
document.write(unescape("%3Cscript src='" + gaJsHost + "google-analytics.com/ga.js' type='text/javascript'%3E%3C/script%3E"));
</script>
<script type="text/javascript">
try {{
var pageTracker = _gat._getTracker("{ua}");
pageTracker._trackPageview();
}} catch(err) {{}}</script>"""


def gaq_async(ua: str) -> str:
    return f"""<script type="text/javascript">
  var _gaq = _gaq || [];
  _gaq.push(['_setAccount', '{ua}']);
  _gaq.push(['_trackPageview']);
  (function() {{
    var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;
    ga.src = ('https:' == document.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';
    var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ga, s);
  }})();
</script>"""


def google_ads_conversion(aw_number: str) -> str:
    return f"""<script type="text/javascript">
/* <![CDATA[ */
var google_conversion_id = {aw_number};
var google_custom_params = window.google_tag_params;
var google_remarketing_only = true;
/* ]]> */
</script>
<script type="text/javascript" src="//www.googleadservices.com/pagead/conversion.js"></script>
<noscript><div style="display:inline;"><img height="1" width="1" style="border-style:none;" alt=""
src="//googleads.g.doubleclick.net/pagead/viewthroughconversion/{aw_number}/?guid=ON&amp;script=0"/></div></noscript>"""


def floodlight(src: str, cat: str) -> str:
    return (f'<iframe src="https://{src}.fls.doubleclick.net/activityi;src={src};type=visit;cat={cat};dc_lat=;'
            f'ord=1?" width="1" height="1" frameborder="0" style="display:none"></iframe>')


def meta_pixel(pixel: str, noscript: bool = True) -> str:
    tail = (f'\n<noscript><img height="1" width="1" style="display:none" '
            f'src="https://www.facebook.com/tr?id={pixel}&ev=PageView&noscript=1"/></noscript>') if noscript else ""
    return f"""<!-- Meta Pixel Code -->
<script>
!function(f,b,e,v,n,t,s)
{{if(f.fbq)return;n=f.fbq=function(){{n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)}};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '{pixel}');
fbq('track', 'PageView');
</script>{tail}
<!-- End Meta Pixel Code -->"""


def meta_noscript_only(pixel: str) -> str:
    return (f'<noscript><img height="1" width="1" style="display:none" '
            f'src="https://www.facebook.com/tr?id={pixel}&amp;ev=PageView&amp;noscript=1"/></noscript>')


FACEBOOK_PAGE_PLUGIN = """<div id="fb-root"></div>
<script async defer crossorigin="anonymous" src="https://connect.facebook.net/en_US/sdk.js#xfbml=1&version=v18.0"></script>
<div class="fb-page" data-href="https://www.facebook.com/practice" data-tabs="timeline"></div>"""


def hotjar(hjid: int) -> str:
    return f"""<!-- Hotjar Tracking Code for practice -->
<script>
    (function(h,o,t,j,a,r){{
        h.hj=h.hj||function(){{(h.hj.q=h.hj.q||[]).push(arguments)}};
        h._hjSettings={{hjid:{hjid},hjsv:6}};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    }})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>"""


def clarity(project: str) -> str:
    return f"""<script type="text/javascript">
    (function(c,l,a,r,i,t,y){{
        c[a]=c[a]||function(){{(c[a].q=c[a].q||[]).push(arguments)}};
        t=l.createElement(r);t.async=1;t.src="https://www.clarity.ms/tag/"+i;
        y=l.getElementsByTagName(r)[0];y.parentNode.insertBefore(t,y);
    }})(window, document, "clarity", "script", "{project}");
</script>"""


TIKTOK = """<script>
!function (w, d, t) {
  w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];ttq.methods=["page","track","identify"],ttq.setAndDefer=function(t,e){t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}};
  ttq.load=function(e,n){var r="https://analytics.tiktok.com/i18n/pixel/events.js";ttq._i=ttq._i||{},ttq._i[e]=[];var o=document.createElement("script");o.type="text/javascript",o.async=!0,o.src=r+"?sdkid="+e+"&lib="+t;var a=document.getElementsByTagName("script")[0];a.parentNode.insertBefore(o,a)};
  ttq.load('CABCD1234EFGH5678');
  ttq.page();
}(window, document, 'ttq');
</script>"""

LINKEDIN = """<script type="text/javascript">
_linkedin_partner_id = "1234567";
window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || [];
window._linkedin_data_partner_ids.push(_linkedin_partner_id);
</script><script type="text/javascript">
(function(l) {
if (!l){window.lintrk = function(a,b){window.lintrk.q.push([a,b])};
window.lintrk.q=[]}
var s = document.getElementsByTagName("script")[0];
var b = document.createElement("script");
b.type = "text/javascript";b.async = true;
b.src = "https://snap.licdn.com/li.lms-analytics/insight.min.js";
s.parentNode.insertBefore(b, s);})(window.lintrk);
</script>
<noscript><img height="1" width="1" style="display:none;" alt="" src="https://px.ads.linkedin.com/collect/?pid=1234567&fmt=gif" /></noscript>"""

BING_UET = """<script>(function(w,d,t,r,u){var f,n,i;w[u]=w[u]||[],f=function(){var o={ti:"187000000", enableAutoSpaCapture: true};o.q=w[u],w[u]=new UET(o),w[u].push("pageLoad")},n=d.createElement(t),n.src=r,n.async=1,n.onload=n.onreadystatechange=function(){var s=this.readyState;s&&s!=="loaded"&&s!=="complete"||(f(),n.onload=n.onreadystatechange=null)},i=d.getElementsByTagName(t)[0],i.parentNode.insertBefore(n,i)})(window,document,"script","//bat.bing.com/bat.js","uetq");</script>"""

CRAZY_EGG = '<script type="text/javascript" src="//script.crazyegg.com/pages/scripts/0012/3456.js" async="async"></script>'

FULLSTORY = """<script>
window['_fs_host'] = 'fullstory.com';
window['_fs_script'] = 'edge.fullstory.com/s/fs.js';
window['_fs_org'] = 'o-1ABCDE-na1';
window['_fs_namespace'] = 'FS';
(function(m,n,e,t,l,o,g,y){ if (e in m) {return;} g=m[e]=function(a,b,s){g.q?g.q.push([a,b,s]):g._api(a,b,s);};g.q=[];
o=n.createElement(t);o.async=1;o.crossOrigin='anonymous';o.src='https://'+_fs_script;
y=n.getElementsByTagName(t)[0];y.parentNode.insertBefore(o,y);})(window,document,window['_fs_namespace'],'script','user');
</script>"""

MOUSEFLOW = """<script type="text/javascript">
  window._mfq = window._mfq || [];
  (function() {
    var mf = document.createElement("script");
    mf.type = "text/javascript"; mf.defer = true;
    mf.src = "//cdn.mouseflow.com/projects/0a1b2c3d-4e5f-6789-abcd-ef0123456789.js";
    document.getElementsByTagName("head")[0].appendChild(mf);
  })();
</script>"""

LUCKY_ORANGE = '<script async defer src="https://tools.luckyorange.com/core/lo.js?site-id=abc12345"></script>'

HUBSPOT = ('<!-- Start of HubSpot Embed Code --><script type="text/javascript" id="hs-script-loader" async defer '
           'src="//js.hs-scripts.com/4412345.js"></script><!-- End of HubSpot Embed Code -->')

SEGMENT = """<script>
  !function(){var analytics=window.analytics=window.analytics||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;
  analytics.load=function(key,e){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.src="https://cdn.segment.com/analytics.js/v1/" + key + "/analytics.min.js";var n=document.getElementsByTagName("script")[0];n.parentNode.insertBefore(t,n);analytics._loadOptions=e};
  analytics._writeKey="AbCdEf123456";analytics.SNIPPET_VERSION="4.15.3";
  analytics.load("AbCdEf123456");
  analytics.page();
  }}();
</script>"""

MIXPANEL = """<script type="text/javascript">
(function(f,b){if(!b.__SV){var e,g,i,h;window.mixpanel=b;b._i=[];b.init=function(e,f,c){};
e=f.createElement("script");e.type="text/javascript";e.async=!0;e.src="https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js";
g=f.getElementsByTagName("script")[0];g.parentNode.insertBefore(e,g)}})(document,window.mixpanel||[]);
mixpanel.init("0123456789abcdef0123456789abcdef", {track_pageview: true});
</script>"""

HEAP = """<script type="text/javascript">
  window.heap=window.heap||[],heap.load=function(e,t){window.heap.appid=e,window.heap.config=t=t||{};var r=document.createElement("script");r.type="text/javascript",r.async=!0,r.src="https://cdn.heapanalytics.com/js/heap-"+e+".js";var a=document.getElementsByTagName("script")[0];a.parentNode.insertBefore(r,a)};
  heap.load("1234567890");
</script>"""

MATOMO_CLOUD = """<!-- Matomo -->
<script>
  var _paq = window._paq = window._paq || [];
  _paq.push(['trackPageView']);
  _paq.push(['enableLinkTracking']);
  (function() {
    var u="https://mindfulpath.matomo.cloud/";
    _paq.push(['setTrackerUrl', u+'matomo.php']);
    _paq.push(['setSiteId', '1']);
    var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
    g.async=true; g.src='https://cdn.matomo.cloud/mindfulpath.matomo.cloud/matomo.js'; s.parentNode.insertBefore(g,s);
  })();
</script>
<!-- End Matomo Code -->"""

PINTEREST = """<script type="text/javascript">
!function(e){if(!window.pintrk){window.pintrk = function () {
window.pintrk.queue.push(Array.prototype.slice.call(arguments))};var
  n=window.pintrk;n.queue=[],n.version="3.0";var
  t=document.createElement("script");t.async=!0,t.src=e;var
  r=document.getElementsByTagName("script")[0];
  r.parentNode.insertBefore(t,r)}}("https://s.pinimg.com/ct/core.js");
pintrk('load', '2612345678901', {em: '<user_email_address>'});
pintrk('page');
</script>
<noscript><img height="1" width="1" style="display:none;" alt="" src="https://ct.pinterest.com/v3/?event=init&tid=2612345678901&noscript=1" /></noscript>"""

SNAP = """<script type='text/javascript'>
(function(e,t,n){if(e.snaptr)return;var a=e.snaptr=function()
{a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};
a.queue=[];var s='script';r=t.createElement(s);r.async=!0;
r.src=n;var u=t.getElementsByTagName(s)[0];
u.parentNode.insertBefore(r,u);})(window,document,
'https://sc-static.net/scevent.min.js');
snaptr('init', '0a1b2c3d-aaaa-bbbb-cccc-0123456789ab', {});
snaptr('track', 'PAGE_VIEW');
</script>"""

REDDIT = """<script>
!function(w,d){if(!w.rdt){var p=w.rdt=function(){p.sendEvent?p.sendEvent.apply(p,arguments):p.callQueue.push(arguments)};p.callQueue=[];var t=d.createElement("script");t.src="https://www.redditstatic.com/ads/pixel.js",t.async=!0;var s=d.getElementsByTagName("script")[0];s.parentNode.insertBefore(t,s)}}(window,document);
rdt('init','a2_abcdefg12345');
rdt('track', 'PageVisit');
</script>"""

QUORA = """<script>
!function(q,e,v,n,t,s){if(q.qp) return; n=q.qp=function(){n.qp?n.qp.apply(n,arguments):n.queue.push(arguments);}; n.queue=[];t=document.createElement(e);t.async=!0;t.src=v; s=document.getElementsByTagName(e)[0]; s.parentNode.insertBefore(t,s);}(window, 'script', 'https://a.quora.com/qevents.js');
qp('init', '0123456789abcdef0123456789abcdef');
qp('track', 'ViewContent');
</script>"""

NEXTDOOR = """<script type="text/javascript">
(function(win, doc, sdk_url){
  if(win.ndp) return;
  var tr=win.ndp=function(){tr.handleRequest? tr.handleRequest.apply(tr, arguments):tr.queue.push(arguments);};
  tr.queue = [];
  var s='script';var new_script_section=doc.createElement(s);new_script_section.async=!0;new_script_section.src=sdk_url;
  var insert_pos=doc.getElementsByTagName(s)[0];insert_pos.parentNode.insertBefore(new_script_section, insert_pos);
})(window, document, 'https://ads.nextdoor.com/public/pixel/ndp.js');
ndp('init','0a1b2c3d-0000-1111-2222-333344445555', {});
ndp('track','PAGE_VIEW');
</script>"""

X_PIXEL = """<script>
!function(e,t,n,s,u,a){e.twq||(s=e.twq=function(){s.exe?s.exe.apply(s,arguments):s.queue.push(arguments);
},s.version='1.1',s.queue=[],u=t.createElement(n),u.async=!0,u.src='https://static.ads-twitter.com/uwt.js',
a=t.getElementsByTagName(n)[0],a.parentNode.insertBefore(u,a))}(window,document,'script');
twq('config','o1abc');
</script>"""

CRITEO = """<script type="text/javascript" src="//dynamic.criteo.com/js/ld/ld.js?a=123456" async="true"></script>"""

TABOOLA = """<script type="text/javascript">
  window._tfa = window._tfa || [];
  window._tfa.push({notify: 'event', name: 'page_view', id: 1234567});
  !function (t, f, a, x) {
         if (!document.getElementById(x)) {
            t.async = 1;t.src = a;t.id=x;f.parentNode.insertBefore(t, f);
         }
  }(document.createElement('script'),
  document.getElementsByTagName('script')[0],
  '//cdn.taboola.com/libtrc/unip/1234567/tfa.js',
  'tb_tfa_script');
</script>"""

OUTBRAIN = """<script data-obct type="text/javascript">
  !function(_window, _document) {
    var OB_ADV_ID = '00a1b2c3d4e5f60718293a4b5c6d7e8f90';
    if (_window.obApi) {var toArray = function(object) {return Object.prototype.toString.call(object) === '[object Array]' ? object : [object];};_window.obApi.marketerId = toArray(_window.obApi.marketerId).concat(toArray(OB_ADV_ID));return;}
    var api = _window.obApi = function() {api.dispatch ? api.dispatch.apply(api, arguments) : api.queue.push(arguments);};api.version = '1.1';api.loaded = true;api.marketerId = OB_ADV_ID;api.queue = [];var tag = _document.createElement('script');tag.async = true;tag.src = '//amplify.outbrain.com/cp/obtp.js';tag.type = 'text/javascript';var script = _document.getElementsByTagName('script')[0];script.parentNode.insertBefore(tag, script);}(window, document);
  obApi('track', 'PAGE_VIEW');
</script>"""

ADROLL = """<script type="text/javascript">
    adroll_adv_id = "ABCDEFGHIJKLMNOPQRSTUV";
    adroll_pix_id = "WXYZ0123456789ABCDEFGH";
    adroll_version = "2.0";
    (function(w, d, e, o, a) {
        w.__adroll_loaded = true;
        w.adroll = w.adroll || [];
        w.adroll.f = [ 'setProperties', 'identify', 'track' ];
        var roundtripUrl = "https://s.adroll.com/j/" + adroll_adv_id + "/roundtrip.js";
        for (a = 0; a < w.adroll.f.length; a++) {}
        e = d.createElement('script'); o = d.getElementsByTagName('script')[0];
        e.async = 1; e.src = roundtripUrl; o.parentNode.insertBefore(e, o);
    })(window, document);
</script>"""

STACKADAPT = """<script type="text/javascript">
!function(s,a,e,v,n,t,z){if(s.saq)return;n=s.saq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!s._saq)s._saq=n;n.push=n;n.loaded=!0;n.version='1.0';n.queue=[];t=a.createElement(e);t.async=!0;t.src=v;z=a.getElementsByTagName(e)[0];z.parentNode.insertBefore(t,z)}(window,document,'script','https://tags.srv.stackadapt.com/events.js');saq('ts', 'AbCdEfGhIjKlMnOp');
</script>"""

CALLRAIL = ('<script type="text/javascript" src="//cdn.callrail.com/companies/123456789/0a1b2c3d4e5f60718293/12/'
            'swap.js"></script>')

CALLTRACKINGMETRICS = '<script async src="//123456.tctm.co/t.js"></script>'

WHATCONVERTS = """<script>
var $wc_load=function(a){return JSON.parse(JSON.stringify(a))},$wc_leads=$wc_leads||{doc:{url:$wc_load(document.URL),ref:$wc_load(document.referrer),search:$wc_load(location.search),hash:$wc_load(location.hash)}};
</script>
<script src="//s.ksrndkehqnwntyxlhgto.com/123456.js"></script>"""

INVOCA = """<script>
(function(i,n,v,o,c,a) { i.InvocaTagId = o; var s = n.createElement('script'); s.type = 'text/javascript';
s.async = true; s.src = ('https:' === n.location.protocol ? 'https://' : 'http://' ) + v;
var fs = n.getElementsByTagName('script')[0]; fs.parentNode.insertBefore(s, fs);
})(window, document, 'solutions.invocacdn.com/js/invoca-latest.min.js', '1234/5678901234');
</script>"""

PODIUM = ('<script defer src="https://connect.podium.com/widget.js#ORG_TOKEN=0a1b2c3d-1111-2222-3333-444455556666" '
          'id="podium-widget" data-organization-api-token="0a1b2c3d-1111-2222-3333-444455556666"></script>')

BIRDEYE = """<script type="text/javascript" id="bewebchat" data-bizId="123456789" data-dimensions="0"
 data-domain="birdeye.com" src="https://birdeye.com/embed/v6/123456/1/0123456789/abcdef0123456789"></script>"""

YELP_BADGE = """<div class="yelp-review" data-review-id="abc" data-hostname="www.yelp.com">Read <a href="https://www.yelp.com/biz/practice">our reviews</a></div>
<script async="async" src="https://www.yelp.com/embed/widgets.js" type="text/javascript"></script>"""

ZOCDOC = """<a href="https://www.zocdoc.com/practice/lakeside-dental-12345?lock=true&isNewPatient=false&referrerType=widget" class="zd-plugin" data-type="book-button" data-practice-id="12345" title="Lakeside Dental">
<img src="https://offsiteschedule.zocdoc.com/images/remote/zd_bookonline_162x48.png?type=bobtjs&practiceId=12345" alt="Lakeside Dental" title="Lakeside Dental" style="border: 0"/></a>
<script>(function (d) {var script = d.createElement('script'); script.type = 'text/javascript'; script.async = true; script.src = 'https://offsiteschedule.zocdoc.com/plugin/embed';
var s = d.getElementsByTagName('script')[0]; s.parentNode.insertBefore(script, s);})(document);</script>"""

SIMPLEPRACTICE = """<a href="https://jane-doe.clientsecure.me" class="spwidget-button" data-spwidget-scope-id="abc" data-spwidget-scope-uri="jane-doe" data-spwidget-application-id="7c72cb9f9a9b913654bb89d6c7b4e71a77911b30192051da35384b4d0c6d505b" data-spwidget-scope-global data-spwidget-autobind>Request Appointment</a>
<script src="https://widget-cdn.simplepractice.com/assets/integration-1.0.js"></script>"""

THERAPYNOTES = ('<a href="https://www.therapyportal.com/p/janedoe123/appointments/availability/" target="_blank">'
                '<img src="https://www.therapynotes.com/wp-content/uploads/request-appointment-button.png" '
                'alt="Request an appointment"></a>')

PSYCHOLOGY_TODAY = """<a href="https://www.psychologytoday.com/profile/123456" class="sx-verified-seal"></a>
<script type="text/javascript" src="https://member.psychologytoday.com/verified-seal.js" data-badge="13" data-id="123456" data-code="aHR0cHM6Ly93d3cucHN5Y2hvbG9neXRvZGF5LmNvbS9hcGkvdmVyaWZpZWQtc2VhbC9zZWFscy8xMy9wcm9maWxlLzEyMzQ1Nj9jYWxsYmFjaz1zeGNhbGxiYWNr"></script>"""

GOOGLE_FONTS = ('<link rel="preconnect" href="https://fonts.googleapis.com"><link rel="preconnect" '
                'href="https://fonts.gstatic.com" crossorigin><link href="https://fonts.googleapis.com/css2?'
                'family=Lora&display=swap" rel="stylesheet">')

RECAPTCHA = '<script src="https://www.google.com/recaptcha/api.js?render=6LcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"></script>'

MAPS_EMBED = ('<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12" width="600" height="450" '
              'style="border:0;" allowfullscreen="" loading="lazy"></iframe>')

YOUTUBE = '<iframe width="560" height="315" src="https://www.youtube.com/embed/abcdEFGhijk" title="Welcome video"></iframe>'

JQUERY = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'

COOKIEYES = '<script id="cookieyes" type="text/javascript" src="https://cdn-cookieyes.com/client_data/0a1b2c3d/script.js"></script>'


def sitekit(google_tag: str) -> str:
    """Site Kit by Google (WordPress): the Google tag with a GT- ID and its linker settings."""
    return f"""<!-- Google tag (gtag.js) snippet added by Site Kit -->
<script src="https://www.googletagmanager.com/gtag/js?id={google_tag}" id="google_gtagjs-js" async></script>
<script id="google_gtagjs-js-after">
window.dataLayer = window.dataLayer || [];function gtag(){{dataLayer.push(arguments);}}
gtag("set","linker",{{"domains":["mindfulpath.example"]}});
gtag("js", new Date());
gtag("set", "developer_id.dZTNiMT", true);
gtag("config", "{google_tag}");
</script>
<!-- End Google tag (gtag.js) snippet added by Site Kit -->"""


def data_attribute_loader(ga4: str) -> str:
    """A theme's own script that reads the measurement ID from its tag and loads gtag.js itself."""
    return f'<script src="/wp-content/themes/serenity/js/analytics.js?ver=2.1" data-ga-id="{ga4}" defer></script>'


def json_config(key: str, tag_id: str) -> str:
    return (f'<script type="application/json" id="site-settings">{{"siteName":"Practice","tracking":'
            f'{{"{key}":"{tag_id}","anonymizeIp":true}},"locale":"en-US"}}</script>'
            '<script src="/assets/js/site.min.js" defer></script>')


def window_config(key: str, tag_id: str) -> str:
    return (f'<script>window.__SITE_CONFIG__ = {{"env":"production","{key}":"{tag_id}","phone":"(555) 010-2000"}};'
            '</script><script src="/static/bundle.3f2a1c.js" defer></script>')


def consent_held_gtag(ga4: str) -> str:
    """A consent tool (Cookiebot-style) keeps the tag as text/plain until the visitor agrees."""
    return f"""<script type="text/plain" data-cookieconsent="statistics" data-src="https://www.googletagmanager.com/gtag/js?id={ga4}"></script>
<script type="text/plain" data-cookieconsent="statistics">
  window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date()); gtag('config', '{ga4}');
</script>"""
