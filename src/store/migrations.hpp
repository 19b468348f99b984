// Versioned schema. Append only: a released migration is never edited.
#pragma once

#include <vector>

#include "store/stats_rows_sql.hpp"

namespace vg::store {

struct Migration {
    int version;
    const char* sql;
};

inline const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, R"SQL(
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  languages TEXT NOT NULL DEFAULT 'fr',
  default_time_zone TEXT NOT NULL,
  holiday_region TEXT NOT NULL DEFAULT 'fr_metropole',
  brand_colour TEXT NOT NULL DEFAULT '#1d4f91',
  logo_url TEXT NOT NULL DEFAULT '',
  sender_email TEXT NOT NULL DEFAULT '',
  reply_to TEXT NOT NULL DEFAULT '',
  mediation_contact TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE terms (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  conduct_rules TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  UNIQUE (organisation_id, version)
);
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL,
  access_notes TEXT NOT NULL DEFAULT '{}',
  is_partner INTEGER NOT NULL DEFAULT 0,
  holiday_region TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sites_org ON sites(organisation_id);
CREATE TABLE motifs (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  code TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  theme TEXT NOT NULL DEFAULT '{}',
  documents TEXT NOT NULL DEFAULT '{}',
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
  buffer_minutes INTEGER NOT NULL DEFAULT 0,
  min_lead_minutes INTEGER NOT NULL DEFAULT 0,
  horizon_days INTEGER NOT NULL DEFAULT 60,
  channels INTEGER NOT NULL DEFAULT 7,
  is_public INTEGER NOT NULL DEFAULT 1,
  asks_beneficiary_number INTEGER NOT NULL DEFAULT 0,
  reminder_minutes TEXT NOT NULL DEFAULT '[2880,120]',
  position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX motifs_org ON motifs(organisation_id);
CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  display_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  notify_mode TEXT NOT NULL DEFAULT 'immediate' CHECK (notify_mode IN ('immediate','digest')),
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX agents_org ON agents(organisation_id);
CREATE TABLE opening_plans (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  site_id INTEGER NOT NULL REFERENCES sites(id),
  weekdays INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_until INTEGER,
  every_n_weeks INTEGER NOT NULL DEFAULT 1,
  channels INTEGER NOT NULL DEFAULT 7,
  motif_ids TEXT NOT NULL DEFAULT '[]',
  CHECK (start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute)
);
CREATE INDEX opening_plans_org ON opening_plans(organisation_id);
CREATE TABLE absences (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  CHECK (starts_at < ends_at)
);
CREATE INDEX absences_agent ON absences(agent_id, ends_at);
CREATE TABLE recurring_absences (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  weekdays INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  end_minute INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_until INTEGER,
  every_n_weeks INTEGER NOT NULL DEFAULT 1,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recurring_absences_org ON recurring_absences(organisation_id);
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  motif_id INTEGER NOT NULL REFERENCES motifs(id),
  site_id INTEGER NOT NULL REFERENCES sites(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  channel TEXT NOT NULL CHECK (channel IN ('video','on_site','phone')),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked','confirmed','cancelled','honoured','no_show')),
  citizen_first_name TEXT NOT NULL,
  citizen_last_name TEXT NOT NULL,
  citizen_email TEXT NOT NULL DEFAULT '',
  citizen_phone TEXT NOT NULL DEFAULT '',
  citizen_language TEXT NOT NULL DEFAULT 'fr',
  beneficiary_number TEXT NOT NULL DEFAULT '',
  needs TEXT NOT NULL DEFAULT '',
  terms_version INTEGER NOT NULL,
  booked_by TEXT NOT NULL DEFAULT 'citizen',
  booked_by_agent_id INTEGER,
  booked_by_partner_site_id INTEGER,
  token_hash TEXT NOT NULL UNIQUE,
  token_expires_at INTEGER NOT NULL,
  cancel_reason TEXT NOT NULL DEFAULT '',
  sequence INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (starts_at < ends_at)
);
CREATE INDEX appointments_live ON appointments(agent_id, starts_at)
  WHERE status IN ('booked','confirmed');
CREATE INDEX appointments_org_time ON appointments(organisation_id, starts_at);
-- Last line of defence for invariant 2, whatever the code above does.
CREATE TRIGGER appointments_no_overlap_insert BEFORE INSERT ON appointments
WHEN NEW.status IN ('booked','confirmed')
BEGIN
  SELECT RAISE(ABORT, 'appointment overlap') WHERE EXISTS (
    SELECT 1 FROM appointments WHERE agent_id = NEW.agent_id
      AND status IN ('booked','confirmed')
      AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at
      AND starts_at > NEW.starts_at - 86400);
END;
CREATE TRIGGER appointments_no_overlap_update BEFORE UPDATE OF starts_at, ends_at, agent_id, status
ON appointments WHEN NEW.status IN ('booked','confirmed')
BEGIN
  SELECT RAISE(ABORT, 'appointment overlap') WHERE EXISTS (
    SELECT 1 FROM appointments WHERE agent_id = NEW.agent_id AND id <> NEW.id
      AND status IN ('booked','confirmed')
      AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at
      AND starts_at > NEW.starts_at - 86400);
END;
CREATE TABLE appointment_events (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX appointment_events_appointment ON appointment_events(appointment_id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id INTEGER NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL,
  appointment_id INTEGER,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email','sms')),
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status = 'pending';
)SQL"},
        {2, R"SQL(
-- 'cancelled': a reminder made obsolete by a reschedule or a cancellation.
CREATE TABLE outbox_v2 (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL,
  appointment_id INTEGER,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email','sms')),
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending','sending','sent','dead','cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
INSERT INTO outbox_v2 SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status IN ('pending','sending');
CREATE INDEX outbox_appointment ON outbox(appointment_id);
CREATE INDEX outbox_org_status ON outbox(organisation_id, status);
)SQL"},
        {3, R"SQL(
ALTER TABLE organisations ADD COLUMN sms_gateway TEXT NOT NULL DEFAULT '';
CREATE TABLE sms_opt_outs (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  phone TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, phone)
);
CREATE TABLE satisfaction_surveys (
  appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
  organisation_id INTEGER NOT NULL,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
)SQL"},
        {4, R"SQL(
-- Covering index: slot searches read (starts_at, ends_at) of live appointments per agent
-- without touching the table (measured: SQL load 25 ms -> 3 ms for a 31-day search).
DROP INDEX appointments_live;
CREATE INDEX appointments_live ON appointments(agent_id, starts_at, ends_at)
  WHERE status IN ('booked','confirmed');
)SQL"},
        {5, R"SQL(
-- Messages due later than two hours after they are written (reminders, thank-you notes,
-- digests) stay out of the due index until two hours before (queued = 0): a booking then
-- appends to indexes instead of touching three random pages of the due index
-- (measured: +15 % bookings/s). Session::promote_deferred moves them in.
ALTER TABLE outbox ADD COLUMN queued INTEGER NOT NULL DEFAULT 1;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(next_attempt_at)
  WHERE status IN ('pending','sending') AND queued = 1;
-- Rows only ever appended here (ids grow); promotion reads it in order.
CREATE INDEX outbox_deferred ON outbox(id, due_at) WHERE queued = 0;
-- The dead-letter listing is the only per-organisation listing that must be fast.
DROP INDEX outbox_org_status;
CREATE INDEX outbox_dead ON outbox(organisation_id, id) WHERE status = 'dead';
)SQL"},
        {6, R"SQL(
-- What identifies this installation (and this database): the random installation id that
-- makes Message-IDs and calendar UIDs unique across installations, and the id (a hash,
-- never the key) of the secret key that sealed the links of queued messages.
CREATE TABLE installation (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO installation (name, value) VALUES ('installation_id', lower(hex(randomblob(12))));
-- SMS sent (or being sent) per number: the daily per-number cap counts these rows, shared
-- by every sender of the database and kept across restarts. A failed send removes its row.
CREATE TABLE sms_sends (
  outbox_id INTEGER PRIMARY KEY,
  phone TEXT NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE INDEX sms_sends_phone ON sms_sends(phone, sent_at);
)SQL"},
        {7, R"SQL(
-- Single-use booking keys (booking forms, API Idempotency-Key): a resubmission finds its
-- appointment instead of booking it twice. Hashes only; the token sealed like the outbox's.
CREATE TABLE booking_keys (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  key_hash TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  sealed_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, key_hash)
);
)SQL"},
        {8, R"SQL(
-- "Send me my link again": the live appointments of a contact are found by e-mail address
-- (any case) or phone number (stored in international form) within an organisation...
CREATE INDEX appointments_email ON appointments(organisation_id, lower(citizen_email));
CREATE INDEX appointments_phone ON appointments(organisation_id, citizen_phone);
-- ...and each gets a new management link, which works beside the first one (whose copies
-- are in the messages already sent and in the reminders still queued). Hashes only.
CREATE TABLE appointment_tokens (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX appointment_tokens_appointment ON appointment_tokens(appointment_id);
)SQL"},
        {9, R"SQL(
-- Staff accounts (issue 12). One account per person, whatever the organisations: e-mail
-- unique case-insensitively (email_key: ASCII lower case, written by the store).
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  totp_secret TEXT,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  is_platform_admin INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
-- What a person may do in an organisation; agent_id: the agent (resource of the agenda) an
-- agent's account is.
CREATE TABLE memberships (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  role TEXT NOT NULL CHECK (role IN ('agent','supervisor','admin','partner')),
  agent_id INTEGER REFERENCES agents(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, organisation_id, role)
);
CREATE INDEX memberships_org ON memberships(organisation_id);
-- Server-side staff sessions: the cookie's id is never stored, only its hash. stage:
-- 'totp' (password accepted, second factor awaited), 'enrol' (second factor to set up first),
-- 'full'.
CREATE TABLE staff_sessions (
  id_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  organisation_id INTEGER REFERENCES organisations(id),
  stage TEXT NOT NULL CHECK (stage IN ('totp','enrol','full')),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX staff_sessions_account ON staff_sessions(account_id);
-- Single-use links (invitation, password reset): hashes only.
CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('invitation','reset')),
  organisation_id INTEGER,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX account_tokens_account ON account_tokens(account_id);
CREATE TABLE recovery_codes (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  code_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (account_id, code_hash)
);
-- Failed sign-ins per subject ('email:<hash of the e-mail>' whether or not an account has
-- it, 'ip:<client>'), kept across restarts: growing delays, then a temporary lock.
CREATE TABLE sign_in_throttle (
  subject TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL
);
-- The agents already configured become accounts (without password) of their organisation.
INSERT INTO accounts (email, email_key, display_name, created_at)
  SELECT MIN(agents.email), lower(agents.email), MIN(agents.display_name),
         MIN(organisations.created_at)
  FROM agents JOIN organisations ON organisations.id = agents.organisation_id
  WHERE agents.email <> '' GROUP BY lower(agents.email);
INSERT INTO memberships (account_id, organisation_id, role, agent_id, created_at)
  SELECT accounts.id, agents.organisation_id, 'agent', MIN(agents.id), accounts.created_at
  FROM agents JOIN accounts ON accounts.email_key = lower(agents.email)
  GROUP BY accounts.id, agents.organisation_id, accounts.created_at;
)SQL"},
        {10, R"SQL(
-- The change journal of an organisation's configuration (issue 12): who changed what, when,
-- and the object before and after (JSON, no citizen data), shown to administrators.
CREATE TABLE config_changes (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id INTEGER NOT NULL DEFAULT 0,
  action TEXT NOT NULL CHECK (action IN ('create','update','delete')),
  before TEXT NOT NULL DEFAULT '{}',
  after TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX config_changes_org ON config_changes(organisation_id, at);
)SQL"},
        {11, R"SQL(
-- The agent's agenda (issue 12). The person's own console language (NULL: the browser's).
ALTER TABLE accounts ADD COLUMN language TEXT CHECK (language IN ('fr','en','nl','de'));
-- The private calendar feed of an account in one organisation: a secret link, its hash only.
-- At most one live feed per account and organisation (replace = revoke + insert).
CREATE TABLE calendar_feeds (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX calendar_feeds_account ON calendar_feeds(account_id, organisation_id);
-- Teams: a supervisor sees the agents of the teams they supervise.
CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (organisation_id, name)
);
CREATE TABLE team_agents (
  team_id INTEGER NOT NULL REFERENCES teams(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  PRIMARY KEY (team_id, agent_id)
);
CREATE TABLE team_supervisors (
  team_id INTEGER NOT NULL REFERENCES teams(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  PRIMARY KEY (team_id, account_id)
);
CREATE INDEX team_supervisors_account ON team_supervisors(account_id);
-- The agenda reads an agent's appointments of a day or a week: live ones through
-- appointments_live (migration 4), held ones (honoured, no-show) through this one (no
-- cost to a booking: a booked appointment is not in it). Without them a week read every
-- appointment of the organisation that week (measured: 4 000 rows for 41 shown).
CREATE INDEX appointments_held ON appointments(agent_id, starts_at)
  WHERE status IN ('honoured','no_show');
)SQL"},
        {12, R"SQL(
-- The appointment page (issue 12). The outcome qualification each organisation configures:
-- items of three groups (request types with their category, themes, digital autonomy),
-- stable codes (never reused: items are retired, never deleted), labels per language.
CREATE TABLE outcome_items (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  item_group TEXT NOT NULL CHECK (item_group IN ('category','request_type','theme','autonomy')),
  category TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL,
  label TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  retired_at INTEGER,
  UNIQUE (organisation_id, code)
);
-- What an appointment held came to: one row per appointment, codes of outcome_items.
CREATE TABLE appointment_outcomes (
  appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  resolved TEXT NOT NULL CHECK (resolved IN ('yes','no','partially')),
  request_type TEXT NOT NULL DEFAULT '',
  theme TEXT NOT NULL DEFAULT '',
  autonomy TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX appointment_outcomes_org ON appointment_outcomes(organisation_id);
-- Private notes of the staff on an appointment: never in messages, API or citizen pages.
CREATE TABLE appointment_notes (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  at INTEGER NOT NULL,
  author TEXT NOT NULL,
  author_name TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX appointment_notes_appointment ON appointment_notes(appointment_id);
)SQL"},
        {13, R"SQL(
-- A site closed for a day (issue 12, supervision): no on-site appointment there that local
-- day; the slot search honours it. day is the site's local day (days since 1970-01-01).
CREATE TABLE site_closures (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  site_id INTEGER NOT NULL REFERENCES sites(id),
  day INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (site_id, day)
);
CREATE INDEX site_closures_org ON site_closures(organisation_id, day);
)SQL"},
        {14, R"SQL(
-- The organisation's administration (issue 12): the no-show delay (minutes after the start
-- when an absent citizen may be recorded as a no-show; seed 003: 10), the retention period
-- of citizens' personal data (days after the end; default two years), and the logo
-- uploaded by the administrator (base64 in TEXT: the same column in PostgreSQL), served by
-- us with its content hash as ETag.
ALTER TABLE organisations ADD COLUMN no_show_delay_minutes INTEGER NOT NULL DEFAULT 10;
ALTER TABLE organisations ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 730;
ALTER TABLE organisations ADD COLUMN logo_type TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN logo_data TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN logo_etag TEXT NOT NULL DEFAULT '';
-- When the retention job erased the appointment's personal data (NULL: not yet); the
-- statistics' fields (motif, channel, site, times, status, origin) stay.
ALTER TABLE appointments ADD COLUMN erased_at INTEGER;
CREATE INDEX appointments_retention ON appointments(organisation_id, ends_at)
  WHERE erased_at IS NULL;
)SQL"},
        {15, R"SQL(
-- The video room (issue 13; docs/VIDEO.md). A room token per management token (the room
-- token is derived from it, store::room_token_for, so that whoever holds a management link
-- reaches the room; distinct from it and one-way): hashes only, like appointment_tokens.
CREATE TABLE room_tokens (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX room_tokens_appointment ON room_tokens(appointment_id);
-- When the waiting room opens (minutes before the start), how long after the end the room
-- stays open, and whether the citizen must show a camera (seed 003).
ALTER TABLE organisations ADD COLUMN room_opens_minutes INTEGER NOT NULL DEFAULT 15;
ALTER TABLE organisations ADD COLUMN room_margin_minutes INTEGER NOT NULL DEFAULT 30;
ALTER TABLE organisations ADD COLUMN camera_required INTEGER NOT NULL DEFAULT 0;
-- The room's journal (seed 000: evidence in a dispute): who joined, left, was admitted,
-- shared, sent what (a chat's length, never its text), when. Append-only.
CREATE TABLE room_events (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  at INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('citizen','agent','guest','server')),
  participant TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX room_events_appointment ON room_events(appointment_id, id);
-- A third participant's single-use link (interpreter, partner-site helper, colleague),
-- created and revocable by the appointment's agent; used_at: the first browser that joined
-- with it (it then comes back with its resume secret only).
CREATE TABLE room_invitations (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  used_at INTEGER
);
CREATE INDEX room_invitations_appointment ON room_invitations(appointment_id);
-- Who has been in a room: the public participant id, the hash of its resume secret and
-- whether the agent admitted it, so that a reconnect, even to a restarted server, goes on
-- without a new admission.
CREATE TABLE room_participants (
  id INTEGER PRIMARY KEY,
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  participant TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('citizen','agent','guest')),
  resume_hash TEXT NOT NULL UNIQUE,
  invitation_id INTEGER REFERENCES room_invitations(id),
  account_id INTEGER REFERENCES accounts(id),
  admitted_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX room_participants_appointment ON room_participants(appointment_id);
)SQL"},
        {16, R"SQL(
-- admin-rest (issue 12): the organisation's own closed days (a day or a range of local
-- days, of every site or of one): no slot of any channel there, like a public holiday.
CREATE TABLE closed_days (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  site_id INTEGER REFERENCES sites(id),
  first_day INTEGER NOT NULL,
  last_day INTEGER NOT NULL,
  label TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK (last_day >= first_day)
);
CREATE INDEX closed_days_org ON closed_days(organisation_id, last_day);
-- The subject and introduction of a citizen message kind in one language, written by the
-- administrator (placeholders {motif} {date} {time} {site} {organisation}); none or empty:
-- the catalogue's text.
CREATE TABLE message_texts (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  intro TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (organisation_id, kind, language)
);
)SQL"},
        {17, R"SQL(
-- Documents a citizen sends during a call (issue 13): the file lives encrypted in the
-- document folder, its key sealed with the installation's secret key in this row; deleting
-- a document removes the file and erases the key (deleted_at set), the row stays for the
-- journal. The organisation sets how many days after the appointment's end they are kept.
CREATE TABLE room_documents (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  appointment_id INTEGER NOT NULL REFERENCES appointments(id),
  sender TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  file TEXT NOT NULL,
  sealed_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delete_after INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX room_documents_by_appointment ON room_documents(organisation_id, appointment_id);
CREATE INDEX room_documents_due ON room_documents(delete_after) WHERE deleted_at IS NULL;
ALTER TABLE organisations ADD COLUMN document_retention_days INTEGER NOT NULL DEFAULT 7;
)SQL"},
        {18, R"SQL(
-- Statistics (issue 14): read-only API keys of an organisation for
-- GET /api/v1/orgs/{org}/stats. Only the hash of a key is kept; a revoked key stays listed.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL DEFAULT 'stats:read',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_org ON api_keys(organisation_id);
)SQL"},
        // 19: never used (numbers were given to parts built in parallel; one needed none).
        {20, R"SQL(
-- Statistics (issue 14): the concatenated-SMS segments of each SMS, written just before it
-- is sent (its cost; kept when retention erases the message's payload). 0: an e-mail.
ALTER TABLE outbox ADD COLUMN sms_segments INTEGER NOT NULL DEFAULT 0;
-- The monthly digest of the statistics: one row per organisation and month ("YYYY-MM")
-- whose digest is queued, written in the transaction that queues it (once, even across
-- restarts and several servers).
CREATE TABLE stats_digests (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  month TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, month)
);
)SQL"},
        {21, R"SQL(
-- Public figures page (issue 14, /{org}/chiffres): which figures of the last complete month
-- the organisation publishes, and the processing delays its administrators type each week
-- (one row per line of a week; a week written again replaces its lines, the other weeks stay
-- as history).
CREATE TABLE published_figures (
  organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
  held INTEGER NOT NULL DEFAULT 0,
  video_share INTEGER NOT NULL DEFAULT 0,
  median_delay INTEGER NOT NULL DEFAULT 0,
  satisfaction INTEGER NOT NULL DEFAULT 0,
  delays INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE processing_delays (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  week INTEGER NOT NULL,
  position INTEGER NOT NULL,
  label TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK (to_day >= from_day)
);
CREATE INDEX processing_delays_week ON processing_delays(organisation_id, week, position);
)SQL"},
        {22, R"SQL(
-- Partner sites ("Point numérique", issue 15, seed 001). Days are core::LocalDay (days since
-- 1970-01-01 in the partner site's or the organisation's calendar); times of day are minutes
-- after midnight. Every table carries organisation_id so that each read filters on it.
CREATE TABLE partners (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  town TEXT NOT NULL DEFAULT '',
  responsible_name TEXT NOT NULL DEFAULT '',
  responsible_email TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  archived_at INTEGER,
  UNIQUE (organisation_id, name)
);
-- A partner's places that welcome the public (art. 8: accessibility, equipment).
CREATE TABLE partner_sites (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  town TEXT NOT NULL DEFAULT '',
  timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
  accessibility TEXT NOT NULL DEFAULT '',
  step_free INTEGER NOT NULL DEFAULT 0,
  equipment TEXT NOT NULL DEFAULT '',
  video_desk INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  archived_at INTEGER
);
CREATE INDEX partner_sites_partner ON partner_sites(partner_id);
-- A partner-role membership names its partner.
ALTER TABLE memberships ADD COLUMN partner_id INTEGER REFERENCES partners(id);
-- The convention (one year from signed_on, renewed tacitly; notice three months before the
-- end). ended_on/end_reason: 'withdrawn' (label withdrawn, art. 6), 'notice' (not renewed).
CREATE TABLE conventions (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  signed_on INTEGER NOT NULL,
  term_months INTEGER NOT NULL DEFAULT 12 CHECK (term_months BETWEEN 1 AND 120),
  reporting_period TEXT NOT NULL DEFAULT 'month' CHECK (reporting_period IN ('month','quarter')),
  option_video_desk INTEGER NOT NULL DEFAULT 0,
  option_visio INTEGER NOT NULL DEFAULT 0,
  responsible_name TEXT NOT NULL DEFAULT '',
  responsible_email TEXT NOT NULL DEFAULT '',
  director_name TEXT NOT NULL DEFAULT '',
  committee_on INTEGER,
  visit_on INTEGER,
  visit_findings TEXT NOT NULL DEFAULT '',
  ended_on INTEGER,
  end_reason TEXT CHECK (end_reason IN ('withdrawn','notice')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX conventions_partner ON conventions(partner_id);
-- The annual visit's action plan.
CREATE TABLE convention_actions (
  id INTEGER PRIMARY KEY,
  convention_id INTEGER NOT NULL REFERENCES conventions(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  item TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  due_on INTEGER,
  done_at INTEGER,
  created_at INTEGER NOT NULL
);
-- The notice reminder of a term end, queued once (both sides are e-mailed).
CREATE TABLE convention_reminders (
  convention_id INTEGER NOT NULL REFERENCES conventions(id),
  term_end INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,
  PRIMARY KEY (convention_id, term_end)
);
-- The label's history: granted with a convention, withdrawn with a reason (art. 6).
CREATE TABLE label_events (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  convention_id INTEGER REFERENCES conventions(id),
  kind TEXT NOT NULL CHECK (kind IN ('granted','withdrawn')),
  reason TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX label_events_partner ON label_events(partner_id, at);
-- Weekly opening hours (weekday 0 = Monday) and exceptional closures (art. 4 and 7).
CREATE TABLE partner_hours (
  id INTEGER PRIMARY KEY,
  partner_site_id INTEGER NOT NULL REFERENCES partner_sites(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  opens INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1440),
  closes INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 1440),
  CHECK (opens < closes)
);
CREATE INDEX partner_hours_site ON partner_hours(partner_site_id);
CREATE TABLE partner_closures (
  id INTEGER PRIMARY KEY,
  partner_site_id INTEGER NOT NULL REFERENCES partner_sites(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  CHECK (from_day <= to_day)
);
-- Trainings attended by a partner's staff (art. 3 and 4); kind 'update' is the yearly day.
CREATE TABLE partner_trainings (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  person TEXT NOT NULL,
  account_id INTEGER REFERENCES accounts(id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'training' CHECK (kind IN ('training','update')),
  attended_on INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
-- A visit logged at a partner's site (Annexe 2). The codes are those of core's visit
-- catalogue; the request-type x action grid and the themes are rows of their own tables.
CREATE TABLE partner_visits (
  id INTEGER PRIMARY KEY,
  partner_site_id INTEGER NOT NULL REFERENCES partner_sites(id),
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  account_id INTEGER REFERENCES accounts(id),
  day INTEGER NOT NULL,
  sex TEXT NOT NULL,
  age_band TEXT NOT NULL,
  allocataire INTEGER NOT NULL,
  autonomy TEXT NOT NULL,
  resolved TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX partner_visits_day ON partner_visits(partner_id, day);
CREATE TABLE partner_visit_cells (
  visit_id INTEGER NOT NULL REFERENCES partner_visits(id),
  request TEXT NOT NULL,
  action TEXT NOT NULL,
  PRIMARY KEY (visit_id, request, action)
);
CREATE TABLE partner_visit_themes (
  visit_id INTEGER NOT NULL REFERENCES partner_visits(id),
  theme TEXT NOT NULL,
  PRIMARY KEY (visit_id, theme)
);
-- A period's report submitted by the partner (period 'YYYY-MM' or 'YYYY-Qn'); late when
-- submitted after the period's deadline.
CREATE TABLE partner_reports (
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  period TEXT NOT NULL,
  submitted_by INTEGER REFERENCES accounts(id),
  submitted_at INTEGER NOT NULL,
  late INTEGER NOT NULL DEFAULT 0,
  comment TEXT NOT NULL DEFAULT '',
  UNIQUE (partner_id, period)
);
-- Bookings on behalf: the helper's account (booked_by_partner_site_id already names the
-- site), and the motifs an organisation opens to its partners.
ALTER TABLE appointments ADD COLUMN booked_by_account_id INTEGER REFERENCES accounts(id);
ALTER TABLE motifs ADD COLUMN open_to_partners INTEGER NOT NULL DEFAULT 0;
)SQL"},
        // Statistics (issue 14): the days from a day to the first free slot, per
        // organisation, motif and channel, sampled once a day (app::FirstSlotSampler);
        // days NULL: no free slot within the motif's horizon.
        {24, R"SQL(
CREATE TABLE first_slot_samples (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  motif_id INTEGER NOT NULL REFERENCES motifs(id),
  channel TEXT NOT NULL,
  day INTEGER NOT NULL,
  days INTEGER,
  sampled_at INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, motif_id, channel, day)
);
-- The statistics' statement counts an appointment's events and room events by kind
-- (docs/PERFORMANCE.md, "Statistics"): answered from these indexes alone.
CREATE INDEX room_events_kind ON room_events(appointment_id, kind, role, at);
CREATE INDEX appointment_events_kind ON appointment_events(appointment_id, kind);
)SQL"},
        {27, R"SQL(
-- partner-caf (issue 15): notice given on a convention by either side (art. 11), once; the
-- convention ends on ends_on, the last day of the term whose notice deadline the notice met.
CREATE TABLE convention_notices (
  convention_id INTEGER PRIMARY KEY REFERENCES conventions(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  given_on INTEGER NOT NULL,
  given_by TEXT NOT NULL CHECK (given_by IN ('caf','partner')),
  actor TEXT NOT NULL,
  ends_on INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
)SQL"},
        {28, R"SQL(
-- Statistics (issue 14; docs/STATISTICS.md, docs/PERFORMANCE.md): one row per appointment
-- with everything the figures and the export read, kept by the triggers below in the
-- transaction of each write, so that the statistics read one table in start order instead
-- of about twenty lookups of the appointment's history and room journal per appointment.
-- Clustered by (organisation, start): a period is one range of the table. SQLite's own
-- (triggers, json_*); a PostgreSQL store keeps the same table with PL/pgSQL triggers.
-- confirmed: a 'presence_confirmed' event (the reader adds status 'confirmed');
-- cancelled_by: the 'by' of the last 'cancelled' event; first_ended_at / last_left_at: the
-- room's first 'ended' and last 'left' (the call's end is the first, else the second).
CREATE TABLE stats_appointments (
  organisation_id INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  appointment_id INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  motif_id INTEGER NOT NULL,
  site_id INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  language TEXT NOT NULL,
  origin TEXT NOT NULL,
  cancel_reason TEXT NOT NULL,
  cancelled_by TEXT NOT NULL DEFAULT '',
  confirmed INTEGER NOT NULL DEFAULT 0,
  moved_to_phone INTEGER NOT NULL DEFAULT 0,
  reschedules INTEGER NOT NULL DEFAULT 0,
  resolved TEXT NOT NULL DEFAULT '',
  request_type TEXT NOT NULL DEFAULT '',
  theme TEXT NOT NULL DEFAULT '',
  autonomy TEXT NOT NULL DEFAULT '',
  rating INTEGER,
  comment TEXT NOT NULL DEFAULT '',
  room_joined INTEGER NOT NULL DEFAULT 0,
  citizen_joined_at INTEGER,
  admitted_at INTEGER,
  first_ended_at INTEGER,
  last_left_at INTEGER,
  ice_restarts INTEGER NOT NULL DEFAULT 0,
  connection_failures INTEGER NOT NULL DEFAULT 0,
  audio_fallback INTEGER NOT NULL DEFAULT 0,
  room_to_phone INTEGER NOT NULL DEFAULT 0,
  connected INTEGER NOT NULL DEFAULT 0,
  relayed INTEGER NOT NULL DEFAULT 0,
  browser TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (organisation_id, starts_at, appointment_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX stats_appointments_id ON stats_appointments(appointment_id);
-- Booked in a period but starting before it (recorded after its start): found apart.
CREATE INDEX stats_appointments_late ON stats_appointments(organisation_id, created_at)
  WHERE created_at > starts_at;
INSERT INTO stats_appointments (organisation_id, starts_at, appointment_id, ends_at, created_at,
  motif_id, site_id, agent_id, channel, status, language, origin, cancel_reason, cancelled_by,
  confirmed, moved_to_phone, reschedules, resolved, request_type, theme, autonomy, rating,
  comment, room_joined, citizen_joined_at, admitted_at, first_ended_at, last_left_at,
  ice_restarts, connection_failures, audio_fallback, room_to_phone, connected, relayed, browser)
)SQL" VG_SQL_STATS_ROWS_FROM_HISTORY R"SQL(;
CREATE TRIGGER stats_appointments_insert AFTER INSERT ON appointments
BEGIN
  INSERT INTO stats_appointments (organisation_id, starts_at, appointment_id, ends_at,
    created_at, motif_id, site_id, agent_id, channel, status, language, origin, cancel_reason)
  VALUES (NEW.organisation_id, NEW.starts_at, NEW.id, NEW.ends_at, NEW.created_at,
    NEW.motif_id, NEW.site_id, NEW.agent_id, NEW.channel, NEW.status, NEW.citizen_language,
    NEW.booked_by, NEW.cancel_reason);
END;
CREATE TRIGGER stats_appointments_update AFTER UPDATE ON appointments
WHEN OLD.organisation_id IS NOT NEW.organisation_id OR OLD.starts_at IS NOT NEW.starts_at
  OR OLD.ends_at IS NOT NEW.ends_at OR OLD.created_at IS NOT NEW.created_at
  OR OLD.motif_id IS NOT NEW.motif_id OR OLD.site_id IS NOT NEW.site_id
  OR OLD.agent_id IS NOT NEW.agent_id OR OLD.channel IS NOT NEW.channel
  OR OLD.status IS NOT NEW.status OR OLD.citizen_language IS NOT NEW.citizen_language
  OR OLD.booked_by IS NOT NEW.booked_by OR OLD.cancel_reason IS NOT NEW.cancel_reason
BEGIN
  UPDATE stats_appointments SET organisation_id = NEW.organisation_id,
    starts_at = NEW.starts_at, ends_at = NEW.ends_at, created_at = NEW.created_at,
    motif_id = NEW.motif_id, site_id = NEW.site_id, agent_id = NEW.agent_id,
    channel = NEW.channel, status = NEW.status, language = NEW.citizen_language,
    origin = NEW.booked_by, cancel_reason = NEW.cancel_reason
  WHERE appointment_id = NEW.id;
END;
CREATE TRIGGER stats_appointments_event AFTER INSERT ON appointment_events
WHEN NEW.kind IN ('cancelled', 'presence_confirmed', 'moved_to_phone', 'rescheduled')
BEGIN
  UPDATE stats_appointments SET
    cancelled_by = CASE WHEN NEW.kind <> 'cancelled' THEN cancelled_by
      WHEN json_valid(NEW.detail) AND json_type(NEW.detail, '$.by') = 'text'
      THEN json_extract(NEW.detail, '$.by') ELSE '' END,
    confirmed = confirmed OR NEW.kind = 'presence_confirmed',
    moved_to_phone = moved_to_phone OR NEW.kind = 'moved_to_phone',
    reschedules = reschedules + (NEW.kind = 'rescheduled')
  WHERE appointment_id = NEW.appointment_id;
END;
CREATE TRIGGER stats_appointments_outcome_insert AFTER INSERT ON appointment_outcomes
BEGIN
  UPDATE stats_appointments SET resolved = NEW.resolved, request_type = NEW.request_type,
    theme = NEW.theme, autonomy = NEW.autonomy WHERE appointment_id = NEW.appointment_id;
END;
CREATE TRIGGER stats_appointments_outcome_update AFTER UPDATE ON appointment_outcomes
BEGIN
  UPDATE stats_appointments SET resolved = NEW.resolved, request_type = NEW.request_type,
    theme = NEW.theme, autonomy = NEW.autonomy WHERE appointment_id = NEW.appointment_id;
END;
CREATE TRIGGER stats_appointments_survey_insert AFTER INSERT ON satisfaction_surveys
BEGIN
  UPDATE stats_appointments SET rating = NEW.rating, comment = NEW.comment
  WHERE appointment_id = NEW.appointment_id;
END;
CREATE TRIGGER stats_appointments_survey_update AFTER UPDATE ON satisfaction_surveys
BEGIN
  UPDATE stats_appointments SET rating = NEW.rating, comment = NEW.comment
  WHERE appointment_id = NEW.appointment_id;
END;
CREATE TRIGGER stats_appointments_room_event AFTER INSERT ON room_events
WHEN NEW.kind IN ('joined', 'admitted', 'ended', 'left', 'ice_restart', 'connection_failed',
  'audio_fallback', 'moved_to_phone', 'connected')
BEGIN
  UPDATE stats_appointments SET
    room_joined = room_joined OR NEW.kind = 'joined',
    browser = CASE WHEN NEW.kind = 'joined' AND NEW.role = 'citizen'
        AND citizen_joined_at IS NULL THEN
      CASE WHEN json_valid(NEW.detail) AND json_type(NEW.detail, '$.browser') = 'text'
      THEN json_extract(NEW.detail, '$.browser') ELSE '' END ELSE browser END,
    citizen_joined_at = CASE WHEN NEW.kind = 'joined' AND NEW.role = 'citizen'
        AND (citizen_joined_at IS NULL OR NEW.at < citizen_joined_at)
      THEN NEW.at ELSE citizen_joined_at END,
    admitted_at = CASE WHEN NEW.kind = 'admitted'
        AND (admitted_at IS NULL OR NEW.at < admitted_at) THEN NEW.at ELSE admitted_at END,
    first_ended_at = CASE WHEN NEW.kind = 'ended'
        AND (first_ended_at IS NULL OR NEW.at < first_ended_at)
      THEN NEW.at ELSE first_ended_at END,
    last_left_at = CASE WHEN NEW.kind = 'left'
        AND (last_left_at IS NULL OR NEW.at > last_left_at) THEN NEW.at ELSE last_left_at END,
    ice_restarts = ice_restarts + (NEW.kind = 'ice_restart'),
    connection_failures = connection_failures + (NEW.kind = 'connection_failed'),
    audio_fallback = audio_fallback OR NEW.kind = 'audio_fallback',
    room_to_phone = room_to_phone OR NEW.kind = 'moved_to_phone',
    connected = connected OR NEW.kind = 'connected',
    relayed = relayed OR (NEW.kind = 'connected' AND NEW.detail LIKE '%"relay"%')
  WHERE appointment_id = NEW.appointment_id;
END;
)SQL"},
        {29, R"SQL(
-- partner-screens (issue 15): the e-mail telling the partner's staff and the CAF's partner
-- managers that a period's report is overdue (app::ReportOverdue), queued once per partner
-- and period ("2026-11", "2026-Q4", as partner_reports.period).
CREATE TABLE partner_report_reminders (
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  period TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  PRIMARY KEY (partner_id, period)
);
)SQL"},
    };
    return all;
}

}  // namespace vg::store
