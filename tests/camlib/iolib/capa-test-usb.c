/* SPDX-License-Identifier: GPL-3.0-or-later */

/* capa_test_usb: a libgphoto2 port driver ("iolib") for Capa's tests that
 * lists several USB ports, so that autodetection finds several test
 * cameras (tests/camlib, README.md).
 *
 * libgphoto2's virtual camera port (vusb) lists one USB port, usb:001,001.
 * This driver lists CAPA_TEST_CAMERA_COUNT of them (1 when unset, at most
 * 99): usb:001,001, usb:001,002, …, and on each "finds" a device with the
 * test camera's USB ids.  It never does any I/O: the test camera driver
 * never reads or writes its port.  libgphoto2 loads one port driver per
 * port type, so the folder in IOLIBS holds this one instead of vusb.
 *
 * libgphoto2's development package does not install the header that
 * describes a port driver (gphoto2/gphoto2-port-library.h): the fixture
 * script tests/fixtures/build-vusb.sh builds this file against the header
 * of the libgphoto2 source it already unpacks for vusb.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gphoto2/gphoto2-port-library.h>
#include <gphoto2/gphoto2-port-result.h>

#define EXPORT __attribute__ ((visibility ("default")))

/* The ids the test camera driver declares (tests/camlib, TC_USB_*). */
#define TEST_VENDOR   0x04b0
#define TEST_PRODUCT  0x0437
#define MAX_CAMERAS   99

static int
camera_count (void)
{
  const char *text = getenv ("CAPA_TEST_CAMERA_COUNT");
  long n = text != NULL ? strtol (text, NULL, 10) : 1;

  return n < 1 ? 1 : n > MAX_CAMERAS ? MAX_CAMERAS : (int) n;
}

EXPORT GPPortType
gp_port_library_type (void)
{
  return GP_PORT_USB;
}

EXPORT int
gp_port_library_list (GPPortInfoList *list)
{
  int count = camera_count ();

  for (int i = 1; i <= count; i++)
    {
      GPPortInfo info;
      char path[32];
      int ret;

      snprintf (path, sizeof path, "usb:001,%03d", i);
      ret = gp_port_info_new (&info);
      if (ret < GP_OK)
        return ret;
      gp_port_info_set_type (info, GP_PORT_USB);
      gp_port_info_set_name (info, "Universal Serial Bus");
      gp_port_info_set_path (info, path);
      ret = gp_port_info_list_append (list, info);
      if (ret < GP_OK)
        return ret;
    }
  return GP_OK;
}

static int
no_io (GPPort *port)
{
  return GP_OK;
}

static int
no_read (GPPort *port,
         char   *data,
         int     size)
{
  return GP_ERROR_NOT_SUPPORTED;
}

static int
no_write (GPPort     *port,
          const char *data,
          int         size)
{
  return GP_ERROR_NOT_SUPPORTED;
}

static int
find_device (GPPort *port,
             int     vendor,
             int     product)
{
  if (vendor != TEST_VENDOR || product != TEST_PRODUCT)
    return GP_ERROR_IO_USB_FIND;
  return GP_OK;
}

static int
find_device_by_class (GPPort *port,
                      int     class,
                      int     subclass,
                      int     protocol)
{
  return GP_ERROR_IO_USB_FIND;
}

EXPORT GPPortOperations *
gp_port_library_operations (void)
{
  GPPortOperations *ops = calloc (1, sizeof (GPPortOperations));

  if (ops == NULL)
    return NULL;
  ops->init = no_io;
  ops->exit = no_io;
  ops->open = no_io;
  ops->close = no_io;
  ops->update = no_io;
  ops->reset = no_io;
  ops->read = no_read;
  ops->write = no_write;
  ops->find_device = find_device;
  ops->find_device_by_class = find_device_by_class;
  return ops;
}
