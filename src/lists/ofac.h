/*
 * ofac.h - what the OFAC CSV and XML readers share: the remarks field.
 */
#ifndef VIGIL_LISTS_OFAC_H
#define VIGIL_LISTS_OFAC_H

#include "../internal.h"

/* Reads the remarks of an OFAC entry ("DOB 12 Jul 1986; nationality China;
 * Passport X (Country); a.k.a. 'Y'; ...") into the entity's fields, and keeps
 * the whole text in "remarks". Returns 0 or -1 (a value over the bound). */
int vigil__ofac_remarks(json_t *e, const char *remarks);

/* Schema for OFAC's SDN type ("individual", "vessel", "aircraft", "-0-",
 * "Entity"). */
const char *vigil__ofac_schema(const char *type);

#endif
