/* A qemu TCG plugin: guest instructions executed, counted per translated block (an atomic
 * add of the block's length each time it runs), all threads together. At exit it appends
 * one line to out=FILE: "main <count> pid <pid>" for the process qemu started, "forked
 * <count> pid <pid>" for a child forked from it (a fork copies the count so far).
 *
 * Built by bench/arm64/setup.sh against qemu-plugin.h from Debian 12's qemu 7.2 source;
 * used by bench/arm64/count.py through the dynamic qemu-aarch64 (the static one cannot
 * load plugins). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t insns;
static const char *outpath;
static int main_pid;

static void tb_exec(unsigned int vcpu, void *udata)
{
    __atomic_fetch_add(&insns, (uint64_t)(uintptr_t)udata, __ATOMIC_RELAXED);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb);
    qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
                                         (void *)(uintptr_t)n);
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
    FILE *f = outpath ? fopen(outpath, "a") : NULL;
    if (f == NULL)
        f = stderr;
    fprintf(f, "%s %llu pid %d\n", getpid() == main_pid ? "main" : "forked",
            (unsigned long long)insns, (int)getpid());
    if (f != stderr)
        fclose(f);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0)
            outpath = argv[i] + 4;
    main_pid = getpid();
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
