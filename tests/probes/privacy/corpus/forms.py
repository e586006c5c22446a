"""Forms as practice sites publish them: plugins, site builders, hand-written HTML."""

from __future__ import annotations

CF7_CONTACT = """<div class="wpcf7 no-js" id="wpcf7-f12-p34-o1" lang="en-US" dir="ltr">
<form action="/contact/#wpcf7-f12-p34-o1" method="post" class="wpcf7-form init" aria-label="Contact form" novalidate="novalidate" data-status="init">
<div style="display: none;"><input type="hidden" name="_wpcf7" value="12" /><input type="hidden" name="_wpcf7_version" value="5.8" /></div>
<p><label> Your name<br /><span class="wpcf7-form-control-wrap" data-name="your-name"><input size="40" class="wpcf7-form-control wpcf7-text" aria-required="true" value="" type="text" name="your-name" /></span> </label></p>
<p><label> Your email<br /><span class="wpcf7-form-control-wrap" data-name="your-email"><input size="40" class="wpcf7-form-control wpcf7-email" value="" type="email" name="your-email" /></span> </label></p>
<p><label> Phone<br /><input size="40" class="wpcf7-form-control wpcf7-tel" value="" type="tel" name="your-phone" /></label></p>
<p><label> Your message (optional)<br /><textarea cols="40" rows="10" class="wpcf7-form-control wpcf7-textarea" name="your-message"></textarea></label></p>
<p><input class="wpcf7-form-control wpcf7-submit has-spinner" type="submit" value="Submit" /></p>
</form></div>"""

CF7_SMS_CONSENT = """<form action="/contact/#wpcf7-f40-o1" method="post" class="wpcf7-form init">
<p><label> Name<br /><input type="text" name="your-name" /></label></p>
<p><label> Mobile phone<br /><input type="tel" name="your-phone" /></label></p>
<p><label> Preferred appointment day<br /><select name="day"><option>Monday</option><option>Wednesday</option><option>Friday</option></select></label></p>
<p><span class="wpcf7-list-item"><label><input type="checkbox" name="sms-consent[]" value="yes" /><span class="wpcf7-list-item-label">I agree to receive text messages (SMS) from Harbor Counseling, including appointment reminders. Msg &amp; data rates may apply. Reply STOP to opt out.</span></label></span></p>
<p><label> How did you hear about us?<br /><select name="referral"><option>Google</option><option>Psychology Today</option><option>Doctor referral</option><option>Friend or family</option></select></label></p>
<p><input type="submit" value="Request appointment" /></p>
</form>"""

GRAVITY_INTAKE = """<div class='gf_browser_chrome gform_wrapper gravity-theme' id='gform_wrapper_3'>
<form method='post' enctype='multipart/form-data' id='gform_3' action='/new-client-intake/' novalidate>
<div class='gform_body gform-body'><div id='gform_fields_3' class='gform_fields top_label'>
<div id="field_3_1" class="gfield gfield--type-name"><legend class='gfield_label gform-field-label gfield_label_before_complex'>Name</legend>
<div class='ginput_complex ginput_container ginput_container--name' id='input_3_1'>
<span id='input_3_1_3_container' class='name_first'><input type='text' name='input_1.3' id='input_3_1_3' value='' aria-required='true' /><label for='input_3_1_3' class='gform-field-label gform-field-label--type-sub'>First</label></span>
<span id='input_3_1_6_container' class='name_last'><input type='text' name='input_1.6' id='input_3_1_6' value='' aria-required='true' /><label for='input_3_1_6' class='gform-field-label gform-field-label--type-sub'>Last</label></span>
</div></div>
<div id="field_3_2" class="gfield gfield--type-email"><label class='gfield_label gform-field-label' for='input_3_2'>Email</label><div class='ginput_container ginput_container_email'><input name='input_2' id='input_3_2' type='email' value='' /></div></div>
<div id="field_3_5" class="gfield gfield--type-select"><label class='gfield_label gform-field-label' for='input_3_5'>I'm seeking support for</label><div class='ginput_container ginput_container_select'><select name='input_5' id='input_3_5' class='large gfield_select' aria-invalid="false"><option value='' selected='selected'>Select one</option><option value='Anxiety &amp; panic'>Anxiety &amp; panic</option><option value='Depression'>Depression</option><option value='Eating disorders'>Eating disorders</option><option value='Grief and loss'>Grief and loss</option><option value='Other'>Other</option></select></div></div>
<div id="field_3_7" class="gfield gfield--type-textarea"><label class='gfield_label gform-field-label' for='input_3_7'>Anything else you'd like us to know?</label><div class='ginput_container ginput_container_textarea'><textarea name='input_7' id='input_3_7' class='textarea medium' rows='10' cols='50'></textarea></div></div>
</div></div>
<div class='gform_footer top_label'> <input type='submit' id='gform_submit_button_3' class='gform_button button' value='Submit' /> <input type='hidden' class='gform_hidden' name='is_submit_3' value='1' /></div>
</form></div>"""

ELEMENTOR_PLACEHOLDERS = """<div class="elementor-widget-container">
<form class="elementor-form" method="post" name="Contact">
<input type="hidden" name="post_id" value="21"/><input type="hidden" name="form_id" value="5a1c2b3"/>
<div class="elementor-form-fields-wrapper elementor-labels-">
<div class="elementor-field-type-text elementor-field-group elementor-column elementor-field-group-name elementor-col-50">
<label for="form-field-name" class="elementor-field-label elementor-screen-only">Name</label>
<input size="1" type="text" name="form_fields[name]" id="form-field-name" class="elementor-field elementor-size-sm  elementor-field-textual" placeholder="Name"></div>
<div class="elementor-field-type-email elementor-field-group elementor-column elementor-field-group-email elementor-col-50 elementor-field-required">
<label for="form-field-email" class="elementor-field-label elementor-screen-only">Email</label>
<input size="1" type="email" name="form_fields[email]" id="form-field-email" class="elementor-field elementor-size-sm  elementor-field-textual" placeholder="Email" required="required"></div>
<div class="elementor-field-type-textarea elementor-field-group elementor-column elementor-field-group-message elementor-col-100">
<label for="form-field-message" class="elementor-field-label elementor-screen-only">Message</label>
<textarea class="elementor-field-textual elementor-field  elementor-size-sm" name="form_fields[message]" id="form-field-message" rows="4" placeholder="What brings you to therapy?"></textarea></div>
<div class="elementor-field-group elementor-column elementor-field-type-submit elementor-col-100 e-form__buttons">
<button type="submit" class="elementor-button elementor-size-sm"><span><span class="elementor-button-text">Send</span></span></button></div>
</div></form></div>"""

SQUARESPACE_FORM = """<div class="form-wrapper"><div class="form-inner-wrapper">
<form autocomplete="on" action="https://sunrise-wellness.squarespace.com" method="POST" onsubmit="return (function (form) { Y.use('squarespace-form-submit', 'node', function usingFormSubmit(Y) { (new Y.Squarespace.FormSubmit(form)).submit(); }); return false; })(this);">
<div class="field-list clear">
<fieldset id="name-yui_3_17_2_1_1" class="form-item fields name required"><legend class="title">Name <span class="required" aria-hidden="true">*</span></legend>
<div class="field first-name"><label class="caption"><input class="field-element field-control" name="fname" x-autocompletetype="given-name" type="text" spellcheck="false" maxlength="30" data-title="First" aria-required="true"><span class="caption-text">First Name</span></label></div>
<div class="field last-name"><label class="caption"><input class="field-element field-control" name="lname" x-autocompletetype="surname" type="text" spellcheck="false" maxlength="30" data-title="Last" aria-required="true"><span class="caption-text">Last Name</span></label></div>
</fieldset>
<div id="email-yui_3_17_2_1_2" class="form-item field email required"><label class="title" for="email-yui_3_17_2_1_2-field">Email <span class="required" aria-hidden="true">*</span></label>
<input class="field-element" id="email-yui_3_17_2_1_2-field" name="email" type="email" autocomplete="email" spellcheck="false" aria-required="true"></div>
<div id="textarea-yui_3_17_2_1_3" class="form-item field textarea"><div class="title">What's going on?</div>
<div class="description">Share as much or as little as you're comfortable with.</div>
<textarea class="field-element " id="textarea-yui_3_17_2_1_3-field"></textarea></div>
</div>
<div class="form-button-wrapper form-button-wrapper--align-left"><input class="button sqs-system-button sqs-editable-button sqs-button-element--primary" type="submit" value="Submit"/></div>
</form></div></div>"""

WIX_FORMLESS = """<div id="comp-lq3x8a1" class="wixui-form"><div class="_1d6sy" data-testid="form-contact">
<div class="_2dBhC"><div id="comp-lq3x8a2" class="_3ZBA8 wixui-text-input"><div class="pUnTVX"><label for="input_comp-lq3x8a2" class="wixui-text-input__label">First Name</label>
<input type="text" id="input_comp-lq3x8a2" class="KvoMHf has-custom-focus wixui-text-input__input" value="" maxlength="100" aria-required="false"></div></div>
<div id="comp-lq3x8a3" class="_3ZBA8 wixui-text-input"><input type="email" id="input_comp-lq3x8a3" class="KvoMHf wixui-text-input__input" placeholder="Email *" aria-required="true" value=""></div>
<div id="comp-lq3x8a4" class="wixui-text-input"><input type="tel" id="input_comp-lq3x8a4" class="KvoMHf" aria-label="Phone" value=""></div>
<div id="comp-lq3x8a5" class="wixui-text-box"><span id="label-comp-lq3x8a5" class="wixui-text-box__label">What brings you here?</span>
<textarea id="textarea_comp-lq3x8a5" class="rEindN has-custom-focus wixui-text-box__input" aria-labelledby="label-comp-lq3x8a5"></textarea></div>
<div id="comp-lq3x8a6" class="wixui-button"><button aria-disabled="false" data-testid="buttonElement" class="uDW_Qe wixui-button"><span class="l7_2fn wixui-button__label">Submit</span></button></div>
</div></div></div>"""

ID_ONLY_CONTACT = """<section class="contact"><h2>Get in touch</h2>
<form id="contact" onsubmit="return sendContact(event)">
  <label for="c-name">Name</label><input id="c-name" type="text">
  <label for="c-email">Email address</label><input id="c-email" type="email">
  <label for="c-msg">Message</label><textarea id="c-msg"></textarea>
  <button type="submit">Send</button>
</form>
<script>function sendContact(e){e.preventDefault();fetch('/api/contact',{method:'POST',body:JSON.stringify({name:document.getElementById('c-name').value})});return false;}</script>
</section>"""

NEWSLETTER = """<form action="https://practice.us21.list-manage.com/subscribe/post?u=0a1b2c3d4e5f&amp;id=abc123" method="post" id="mc-embedded-subscribe-form" name="mc-embedded-subscribe-form" class="validate" target="_blank">
<div class="mc-field-group"><label for="mce-EMAIL">Sign up for our newsletter</label><input type="email" name="EMAIL" class="required email" id="mce-EMAIL" required="" value=""></div>
<div aria-hidden="true" style="position: absolute; left: -5000px;"><input type="text" name="b_0a1b2c3d4e5f_abc123" tabindex="-1" value=""></div>
<input type="submit" name="subscribe" id="mc-embedded-subscribe" class="button" value="Subscribe"></form>"""

SEARCH = """<form role="search" method="get" class="search-form" action="/"><label><span class="screen-reader-text">Search for:</span>
<input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label><input type="submit" class="search-submit" value="Search" /></form>"""

JOTFORM_SOURCE = """<form class="jotform-form" action="https://submit.jotform.com/submit/231234567890123" method="post" name="form_231234567890123" id="231234567890123" accept-charset="utf-8" autocomplete="on">
<input type="hidden" name="formID" value="231234567890123" />
<ul class="form-section page-section">
<li class="form-line" data-type="control_fullname" id="id_3"><label class="form-label form-label-top" id="label_3" for="first_3">Patient Name</label>
<div id="cid_3" class="form-input-wide"><span class="form-sub-label-container"><input type="text" id="first_3" name="q3_patientName[first]" class="form-textbox" autoComplete="section-input_3 given-name" size="10" value="" /><label class="form-sub-label" for="first_3" id="sublabel_3_first">First Name</label></span>
<span class="form-sub-label-container"><input type="text" id="last_3" name="q3_patientName[last]" class="form-textbox" size="15" value="" /><label class="form-sub-label" for="last_3" id="sublabel_3_last">Last Name</label></span></div></li>
<li class="form-line" data-type="control_birthdate" id="id_4"><label class="form-label form-label-top" id="label_4" for="input_4">Date of Birth</label><div id="cid_4" class="form-input-wide"><input type="date" id="input_4" name="q4_dateOf" /></div></li>
<li class="form-line" data-type="control_dropdown" id="id_6"><label class="form-label form-label-top" id="label_6" for="input_6">Reason for visit</label>
<div id="cid_6" class="form-input-wide"><select class="form-dropdown" id="input_6" name="q6_reasonFor"><option value="">Please Select</option><option value="Cleaning and exam">Cleaning and exam</option><option value="Toothache or pain">Toothache or pain</option><option value="Cosmetic consultation">Cosmetic consultation</option></select></div></li>
<li class="form-line" data-type="control_textarea" id="id_7"><label class="form-label form-label-top" id="label_7" for="input_7">Current medications</label><div id="cid_7" class="form-input-wide"><textarea id="input_7" class="form-textarea" name="q7_currentMedications" cols="40" rows="6"></textarea></div></li>
<li class="form-line" data-type="control_button" id="id_2"><div id="cid_2" class="form-input-wide"><div class="form-buttons-wrapper"><button id="input_2" type="submit" class="form-submit-button">Submit</button></div></div></li>
</ul></form>"""

JOTFORM_IFRAME = """<iframe id="JotFormIFrame-231234567890124" title="New Patient Form" allowtransparency="true" allowfullscreen="true"
 src="https://form.jotform.com/231234567890124" frameborder="0" style="min-width:100%;height:539px;border:none;" scrolling="no"></iframe>
<script src='https://cdn.jotfor.ms/s/umd/latest/for-form-embed-handler.js'></script>"""

TYPEFORM = """<div data-tf-live="01HABCDEF0123456789ABCDEF"></div><script src="//embed.typeform.com/next/embed.js"></script>"""

RADIO_FIELDSET = """<form action="/consultation" method="post">
<fieldset><legend>What are you seeking help with?</legend>
<label><input type="radio" name="focus" value="individual"> Stress and burnout</label>
<label><input type="radio" name="focus" value="couples"> Relationship issues</label>
<label><input type="radio" name="focus" value="other"> Something else</label></fieldset>
<label for="cname">Name</label><input id="cname" name="name">
<label for="cphone">Phone</label><input id="cphone" name="phone" type="tel">
<label><input type="checkbox" name="newsletter" value="1"> Sign me up for the monthly newsletter</label>
<button>Book a free consultation</button></form>"""

DENTAL_APPOINTMENT = """<form class="appointment-form" action="/wp-admin/admin-ajax.php" method="post">
<div class="row"><input type="text" name="patient_name" placeholder="Full Name*" required>
<input type="tel" name="patient_phone" placeholder="Phone Number*" required>
<input type="email" name="patient_email" placeholder="Email Address"></div>
<select name="new_patient"><option>Are you a new patient?</option><option>Yes</option><option>No</option></select>
<input type="text" name="insurance_carrier" placeholder="Dental insurance carrier">
<button type="submit" class="btn">Request Appointment</button></form>"""

DENTAL_SYMPTOMS = """<form action="/emergency" method="post">
<p><label for="e1">Your name</label><input id="e1" name="name"></p>
<p><label for="e2">Phone</label><input id="e2" name="phone" type="tel"></p>
<p><label for="e3">Describe your symptoms</label><textarea id="e3" name="details"></textarea></p>
<p><input type="submit" value="Send"></p></form>"""

HUBSPOT_FORM_EMBED = """<script charset="utf-8" type="text/javascript" src="//js.hsforms.net/forms/embed/v2.js"></script>
<script>hbspt.forms.create({region: "na1", portalId: "4412345", formId: "0a1b2c3d-1111-2222-3333-444455556666"});</script>"""
