// SPDX-License-Identifier: LGPL-2.1-or-later
/* XML helpers of the SVD and IP-XACT importers (regmap-xml.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "regmap-xml.h"

static void quiet(void *ctx, const char *msg, ...)
{
}

xmlDocPtr rmx_parse(struct rm_builder *b, const char *data, size_t len, int *err)
{
	xmlGenericErrorFunc old_fn = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlParserCtxtPtr pc;
	xmlDocPtr doc;

	*err = 0;
	if (len > INT32_MAX) {
		*err = rmb_error(b, 0, "file too large for the XML parser");
		return NULL;
	}
	pc = xmlNewParserCtxt();
	if (!pc) {
		*err = -ENOMEM;
		return NULL;
	}
	/* No network, no external entities or DTDs, no entity expansion:
	 * a register description names registers, nothing else. Errors go
	 * to the parser context, not to stderr; a few (input that does not
	 * convert from its declared encoding) go to the thread's generic
	 * handler as well, stderr by default: silenced for the parse. */
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = xmlCtxtReadMemory(pc, data, (int)len, rmb_path(b), NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				XML_PARSE_NOBLANKS | XML_PARSE_HUGE | XML_PARSE_BIG_LINES);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	if (!doc || !pc->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(pc);
		char msg[256] = "not well-formed XML";

		if (e && e->message) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		*err = rmb_error(b, e ? e->line : 0, "%s", msg);
		if (doc)
			xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(pc);
	return doc;
}

bool rmx_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

xmlNode *rmx_next(const xmlNode *n, const char *name)
{
	for (n = n->next; n; n = n->next)
		if (rmx_is(n, name))
			return (xmlNode *)n;
	return NULL;
}

xmlNode *rmx_child(const xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (rmx_is(c, name))
			return c;
	return NULL;
}

static char *trimmed(const char *s)
{
	size_t len;

	s += strspn(s, " \t\r\n");
	len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	return strndup(s, len);
}

char *rmx_text(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *t;

	if (!c)
		return strdup("");
	t = trimmed((const char *)c);
	xmlFree(c);
	return t;
}

char *rmx_child_text(const xmlNode *n, const char *name, int *err)
{
	xmlNode *c = rmx_child(n, name);
	char *t;

	*err = 0;
	if (!c)
		return NULL;
	t = rmx_text(c);
	if (!t)
		*err = -ENOMEM;
	return t;
}

long rmx_line(const xmlNode *n)
{
	return xmlGetLineNo(n);
}

char *rmx_attr(const xmlNode *n, const char *name)
{
	xmlAttr *a;

	for (a = n->properties; a; a = a->next) {
		if (!strcmp((const char *)a->name, name)) {
			xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
			char *t;

			if (!v)
				return strdup("");
			t = trimmed((const char *)v);
			xmlFree(v);
			return t;
		}
	}
	return NULL;
}
