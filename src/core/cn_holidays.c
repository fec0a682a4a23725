/* The default working-day calendar: public holidays (放假) and make-up workdays (调休上班) of
 * mainland China for 2025 and 2026, as published by the State Council General Office
 * (国办发明电〔2024〕12号 for 2025; the notice of 2025-11-04 for 2026). It is data, in the same
 * JSON shape a platform_admin sends in the "calendar" of PUT /api/v1/rules to add years, so
 * the built-in rules and edited rules go through one parser. Source: the JSON file of these
 * notices, carried verbatim (compacted). Update it by adding a year, never by editing a past
 * one: work orders keep the rule version they were created under. */
#include "core/calendar.h"

const char gd_cn_holidays_json[] =
    "{\"name\":\"cn-mainland\",\"about\":\"Public holidays (放假) and make-up workda"
    "ys (调休上班) of mainland China, from the State Council General Office notice"
    "s: 国办发明电〔2024〕12号 of 2024-11-12 (year 2025) and the notice of 202"
    "5-11-04 (year 2026). A day is a working day when it is Monday to Friday and not i"
    "n 'holidays', or when it is in 'workdays'.\",\"years\":{\"2025\":{\"holidays\":{\""
    "元旦 New Year\":[\"2025-01-01\"],\"春节 Spring Festival\":[\"2025-01-28\",\"2"
    "025-01-29\",\"2025-01-30\",\"2025-01-31\",\"2025-02-01\",\"2025-02-02\",\"2025-02"
    "-03\",\"2025-02-04\"],\"清明节 Qingming\":[\"2025-04-04\",\"2025-04-05\",\"202"
    "5-04-06\"],\"劳动节 Labour Day\":[\"2025-05-01\",\"2025-05-02\",\"2025-05-03\""
    ",\"2025-05-04\",\"2025-05-05\"],\"端午节 Dragon Boat\":[\"2025-05-31\",\"2025-"
    "06-01\",\"2025-06-02\"],\"国庆节、中秋节 National Day and Mid-Autumn\":[\""
    "2025-10-01\",\"2025-10-02\",\"2025-10-03\",\"2025-10-04\",\"2025-10-05\",\"2025-1"
    "0-06\",\"2025-10-07\",\"2025-10-08\"]},\"workdays\":[\"2025-01-26\",\"2025-02-08\""
    ",\"2025-04-27\",\"2025-09-28\",\"2025-10-11\"]},\"2026\":{\"holidays\":{\"元旦 "
    "New Year\":[\"2026-01-01\",\"2026-01-02\",\"2026-01-03\"],\"春节 Spring Festiva"
    "l\":[\"2026-02-15\",\"2026-02-16\",\"2026-02-17\",\"2026-02-18\",\"2026-02-19\",\""
    "2026-02-20\",\"2026-02-21\",\"2026-02-22\",\"2026-02-23\"],\"清明节 Qingming\""
    ":[\"2026-04-04\",\"2026-04-05\",\"2026-04-06\"],\"劳动节 Labour Day\":[\"2026-"
    "05-01\",\"2026-05-02\",\"2026-05-03\",\"2026-05-04\",\"2026-05-05\"],\"端午节 "
    "Dragon Boat\":[\"2026-06-19\",\"2026-06-20\",\"2026-06-21\"],\"中秋节 Mid-Autu"
    "mn\":[\"2026-09-25\",\"2026-09-26\",\"2026-09-27\"],\"国庆节 National Day\":[\""
    "2026-10-01\",\"2026-10-02\",\"2026-10-03\",\"2026-10-04\",\"2026-10-05\",\"2026-1"
    "0-06\",\"2026-10-07\"]},\"workdays\":[\"2026-01-04\",\"2026-02-14\",\"2026-02-28\""
    ",\"2026-05-09\",\"2026-09-20\",\"2026-10-10\"]}}}";
