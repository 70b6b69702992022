/**
 * High availability of the master: any number of master processes share one Redis, and the one
 * holding the lease there is active. A new holder gets a greater fencing epoch, every change to the
 * namespace carries its master's epoch, and Redis refuses a superseded one, so a master that was
 * paused past its lease changes nothing when it resumes.
 */
package io.granary.master.ha;
