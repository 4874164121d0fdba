/*
 * Splitting the boot command line into environment and arguments; see
 * cmdline.h for the grammar.
 *
 * The split works in place: each word is compacted (quotes removed) toward
 * the start of its own span and NUL-terminated, so no memory is allocated.
 */
#include "kernel/cmdline.h"

#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Scans the word starting at *p, compacting it in place. Returns the word,
 * or NULL at the end of the string; leaves *p after the word. */
static char *next_word(char **p, bool *unterminated_quote)
{
	char *s = *p;
	while (is_blank(*s))
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	char *word = s, *out = s;
	bool quoted = false;
	for (; *s != '\0' && (quoted || !is_blank(*s)); s++) {
		if (*s == '"')
			quoted = !quoted;
		else
			*out++ = *s;
	}
	if (quoted)
		*unterminated_quote = true;
	char *rest = *s == '\0' ? s : s + 1;
	*out = '\0';
	*p = rest;
	return word;
}

static void env_set(struct cmdline *c, char *word)
{
	size_t namelen = (size_t)(strchr(word, '=') - word);
	for (int i = 0; i < c->nenv; i++) {
		if (strncmp(c->env[i], word, namelen + 1) == 0) {
			c->env[i] = word;
			return;
		}
	}
	c->env[c->nenv++] = word;
}

void cmdline_split(char *buf, struct cmdline *out)
{
	memset(out, 0, sizeof *out);
	bool in_args = false;
	char *p = buf, *word;
	while ((word = next_word(&p, &out->unterminated_quote)) != NULL) {
		if (!in_args && strcmp(word, "--") == 0) {
			in_args = true;
			continue;
		}
		if (out->nenv + out->nargs + out->nignored == CMDLINE_MAX_WORDS) {
			out->too_many_words = true;
			break;
		}
		char *eq = strchr(word, '=');
		if (in_args)
			out->args[out->nargs++] = word;
		else if (eq != NULL && eq != word)
			env_set(out, word);
		else
			out->ignored[out->nignored++] = word;
	}
	out->env[out->nenv] = NULL;
	out->args[out->nargs] = NULL;
}
