/*
 * One MiB written to the console at full speed through printf, puts, fputs
 * and fprintf(stderr) arrives intact and in order: the harness recomputes
 * the CRC-32 of every byte between "checksum-begin" and the checksum line.
 *
 * expect-checksum
 * expect-line: flood done
 * timeout: 300
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LINES      16384
#define LINE_BYTES 64 /* including the '\n' */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const char *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ (uint8_t)*p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int main(void)
{
	char line[LINE_BYTES + 1];
	uint32_t crc = 0;
	unsigned bytes = 0;

	crc_init();
	puts("checksum-begin");
	for (unsigned i = 0; i < LINES; i++) {
		int n = snprintf(line, sizeof line, "%06u ", i);
		for (; n < LINE_BYTES - 1; n++)
			line[n] = (char)('!' + (i * 7 + (unsigned)n) % 94);
		line[n++] = '\n';
		line[n] = '\0';
		switch (i % 4) {
		case 0:
			printf("%s", line);
			break;
		case 1:
			line[n - 1] = '\0';
			puts(line);
			line[n - 1] = '\n';
			break;
		case 2:
			fputs(line, stdout);
			break;
		default:
			fprintf(stderr, "%s", line);
			break;
		}
		crc = crc_update(crc, line, (size_t)n);
		bytes += (unsigned)n;
	}
	printf("checksum: crc32=%08x lines=%u bytes=%u\n", (unsigned)crc, LINES, bytes);
	printf("flood done\n");
	return 0;
}
