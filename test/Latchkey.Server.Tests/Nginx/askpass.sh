#!/bin/sh
# GIT_ASKPASS for GitOverHttpTests: answers git's username prompt with $ASKPASS_USER and its password prompt with
# $ASKPASS_TOKEN. Kept in the repository (not written by the test) so that no test ever executes a file it has just
# written, which can fail with "Text file busy" while other tests start processes.
case "$1" in
  Username*) echo "$ASKPASS_USER" ;;
  *) echo "$ASKPASS_TOKEN" ;;
esac
