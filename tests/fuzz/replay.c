/*
 * replay.c - runs a fuzz target's entry point over saved inputs, without
 * libFuzzer: every file named, and every file in each directory named.
 * The tests replay the seeds and every input a fuzzing run has found to
 * break sysmon2qql, in ordinary and sanitizer builds.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run the target on the bytes of one file; 0 on success. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0;
    size_t cap = 0;
    size_t n;

    if (f == NULL) {
        perror(path);
        return 1;
    }
    do {
        if (size == cap) {
            cap = cap ? 2 * cap : 65536;
            data = realloc(data, cap);
            if (data == NULL) {
                fclose(f);
                return 1;
            }
        }
        n = fread(data + size, 1, cap - size, f);
        size += n;
    } while (n > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    size_t files = 0;
    int failed = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        DIR *dir;
        struct dirent *e;

        if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            failed |= replay_file(argv[i]);
            files++;
            continue;
        }
        dir = opendir(argv[i]);
        if (dir == NULL) {
            perror(argv[i]);
            return 1;
        }
        while ((e = readdir(dir)) != NULL) {
            char path[4096];

            if (e->d_name[0] == '.') {
                continue;
            }
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            failed |= replay_file(path);
            files++;
        }
        closedir(dir);
    }
    printf("replayed %zu inputs\n", files);
    return failed;
}
