export { CalendarService } from './calendar-service.js';
export { processCalendarChanged } from './jobs.js';
export { calendarRoutes } from './routes.js';
export { loadCalendarSchedule, type CalendarSchedule, type ScheduleDay, type ScheduleLoadResult } from './load-calendar-schedule.js';
