/* For TlsCoverageTest: OpenSSL linked into the executable; it waits for a line on stdin. */
#include <openssl/ssl.h>
#include <stdio.h>
int main(void)
{
	char line[8];
	/* Referenced, so the linker keeps them. */
	printf("%p %p\n", (void *)SSL_write, (void *)SSL_read);
	fflush(stdout);
	fgets(line, sizeof(line), stdin);
	return 0;
}
