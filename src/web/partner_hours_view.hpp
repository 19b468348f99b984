// partner-hours: what the pages that show a partner site's opening hours share (issue 15,
// docs/PARTNERS.md). fill_site_hours fills templates/partner_hours/_site_hours.mustache (the
// weekly-hours form, the closures and the compliance result) for any screen that edits a
// site's hours: the administrators' site page now, the partner's own screen later. The
// public list (/{org}/points-numeriques) uses the day and closure texts.
#pragma once

#include <string>

#include "app/partner_hours.hpp"
#include "web/page.hpp"

namespace vg::web {

// A refused form shown again: which one ("hours" or "closure"), its values and refusals.
struct RefusedHoursForm {
    std::string form;
    app::Fields fields;
    core::FieldErrors errors;
};

// `action`: the site's URL; the forms post to <action>/hours, <action>/closures and
// <action>/closures/<id>/delete. Adds the refusals to the page's error summary
// ("problems", "has_problems").
void fill_site_hours(Page& page, const text::I18n& i18n, const app::SiteHours& h,
                     const std::string& action, bool can_write,
                     const RefusedHoursForm& refused = {});

// "09:00–12:00, 14:00–17:30" for a weekday (empty: closed that day).
std::string day_hours_text(const std::vector<core::OpeningSpan>& spans, int weekday);
// "du 1 décembre 2026 au 2 décembre 2026" / the single day's date.
std::string closure_text(Page& page, const store::PartnerClosure& c);

}  // namespace vg::web
