/* version.h — the vmitn version, written into every run's meta file. */
#ifndef VMITN_VERSION_H
#define VMITN_VERSION_H
#define VMITN_VERSION "0.1.0"
#endif
